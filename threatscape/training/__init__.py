"""Training corpora we wrote and the script that trains the learned event layer (``make train``).

Only ``corpus`` is imported at run time (by the gates that score the frozen test split); the
training module needs the ``train`` extra (torch, transformers) and is never imported by the
extractors.
"""
