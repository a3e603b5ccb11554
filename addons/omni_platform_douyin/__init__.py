from . import platforms
from . import models
