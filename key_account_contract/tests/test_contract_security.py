from .common import KeyAccountContractCommon
