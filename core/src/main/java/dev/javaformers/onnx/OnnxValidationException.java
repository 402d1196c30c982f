package dev.javaformers.onnx;

/** An exported model whose outputs in ONNX Runtime differ from the model's own: names, shapes or values. */
public class OnnxValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OnnxValidationException(String message) {
        super(message);
    }
}
