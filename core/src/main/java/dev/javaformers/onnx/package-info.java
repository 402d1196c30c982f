/**
 * ONNX export and inference: {@link dev.javaformers.onnx.OnnxConfig} (what a model type exports, per task),
 * {@link dev.javaformers.onnx.OnnxExport} (writing the graph and validating it in ONNX Runtime) and the
 * {@code OrtModelFor...} classes that serve an exported model with ONNX Runtime.
 */
package dev.javaformers.onnx;
