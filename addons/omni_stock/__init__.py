from . import models
from .models.stock_change_log import drop_change_log


def uninstall_hook(env):
    drop_change_log(env.cr)
