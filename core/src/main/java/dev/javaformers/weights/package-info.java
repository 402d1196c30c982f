/**
 * Model weights on disk: {@code model.safetensors} (read and written), sharded checkpoints, PyTorch's
 * {@code pytorch_model.bin} (read with a small unpickler that executes nothing) and ONNX exports of BERT-family
 * models. Tensors are held on the Java heap or memory-mapped as {@link dev.javaformers.weights.HostTensor}s
 * until a model copies them into DJL arrays.
 */
package dev.javaformers.weights;
