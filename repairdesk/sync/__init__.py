"""End-of-day batches to HQ, the HQ import and reports, ORDS, and reference packs back."""
