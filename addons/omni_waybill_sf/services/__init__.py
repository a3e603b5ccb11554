from . import sf_express
