"""LSTM Lens models in PyTorch: the same corpus, vocabulary and model folder
as the TypeScript extension, trained on CPUs or GPUs (DistributedDataParallel)."""
