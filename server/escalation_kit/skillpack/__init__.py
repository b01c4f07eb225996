"""The Agent Skills shipped in ``skills/``: load, validate, measure and zip them, and read their contracts.

``contracts`` reads each skill's ``contract.yaml`` (its response minimum); ``pack`` handles the
skills themselves.
"""

from escalation_kit.skillpack.contracts import Contract, ContractItem, list_contract_skills, load_contract

__all__ = ["Contract", "ContractItem", "list_contract_skills", "load_contract"]
