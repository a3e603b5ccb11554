from . import omni_retail_generate
