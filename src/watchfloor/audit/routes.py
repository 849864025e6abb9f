# STUB: replaced by the owning part; keeps the package importable meanwhile.
from fastapi import APIRouter

router = APIRouter()
