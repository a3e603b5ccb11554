from . import pinduoduo
