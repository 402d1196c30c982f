package dev.javaformers.onnx;

import ai.djl.ndarray.NDArray;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.javaformers.weights.DType;
import dev.javaformers.weights.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** ONNX Runtime sessions and runs, with DJL arrays in and host tensors out. */
final class OrtRuntime {

    private OrtRuntime() {}

    /** A session on {@code model} (a path, so external data beside it is found), all optimisations on. */
    static OrtSession open(Path model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return OrtEnvironment.getEnvironment().createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime could not load " + model + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code session} on the inputs it declares (others, as labels, are left out); outputs by name. */
    static Map<String, HostTensor> run(OrtSession session, Map<String, NDArray> inputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (String name : session.getInputNames()) {
                NDArray value = inputs.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("The ONNX model needs input '" + name + "'; given: "
                            + inputs.keySet());
                }
                long[] data = value.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                feed.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(data), value.getShape().getShape()));
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor tensor = (OnnxTensor) e.getValue();
                    long[] shape = tensor.getInfo().getShape();
                    float[] values = new float[(int) HostTensor.numel(shape)];
                    tensor.getFloatBuffer().get(values);
                    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(values);
                    out.put(e.getKey(), new HostTensor(DType.F32, shape, bytes));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}
