package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.util.PyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hf-tiny sample input and transformers' expected outputs. */
final class Fixtures {

    static final double TOLERANCE = 1e-5;

    private Fixtures() {}

    static String model(String name) {
        return TestResources.path("hf-tiny/" + name).toString();
    }

    /** sample_input.json as int64 arrays named as transformers names them. */
    static Map<String, NDArray> sampleInput(NDManager manager) {
        JsonNode json = PyJson.read(TestResources.path("hf-tiny/sample_input.json"));
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> {
            int rows = e.getValue().size();
            int cols = e.getValue().get(0).size();
            long[] values = new long[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    values[r * cols + c] = e.getValue().get(r).get(c).asLong();
                }
            }
            inputs.put(e.getKey(), manager.create(values, new Shape(rows, cols)));
        });
        return inputs;
    }

    static JsonNode expected(String file) {
        return PyJson.read(TestResources.path("hf-tiny/expected/" + file + ".json"));
    }

    /** Token ids written in JSON as a list of equal rows, as an int64 array [rows, tokens]. */
    static NDArray ids(NDManager manager, JsonNode rows) {
        long[][] r = TestResources.rows(rows);
        long[] flat = java.util.Arrays.stream(r).flatMapToLong(java.util.Arrays::stream).toArray();
        return manager.create(flat, new Shape(r.length, r[0].length));
    }

    /** A model folder of hf-tiny-heads (multiple-choice and question-answering heads). */
    static String headsModel(String name) {
        return TestResources.path("hf-tiny-heads/" + name).toString();
    }

    /** hf-tiny-heads/expected.json: {@code models.<folder>} holds a head's inputs and transformers' outputs. */
    static JsonNode headsExpected(String name) {
        return PyJson.read(TestResources.path("hf-tiny-heads/expected.json")).get("models").get(name);
    }

    /** Integers written in JSON as nested lists of any depth (a scalar too), as an int64 array of that shape. */
    static NDArray longs(NDManager manager, JsonNode nested) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = nested; n.isArray(); n = n.get(0)) {
            shape.add((long) n.size());
        }
        List<Double> flat = new ArrayList<>();
        flatten(nested, flat);
        long[] values = flat.stream().mapToLong(Double::longValue).toArray();
        return manager.create(values, new Shape(shape.stream().mapToLong(Long::longValue).toArray()));
    }

    /** Asserts that {@code actual} has the shape of the nested JSON list and matches it within the tolerance. */
    static double assertClose(JsonNode expected, NDArray actual, String what) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = expected; n.isArray(); n = n.get(0)) {
            shape.add((long) n.size());
        }
        assertArrayEquals(shape.stream().mapToLong(Long::longValue).toArray(), actual.getShape().getShape(),
                what + " shape");
        float[] values = actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        List<Double> flat = new ArrayList<>();
        flatten(expected, flat);
        double max = 0;
        for (int i = 0; i < values.length; i++) {
            max = Math.max(max, Math.abs(values[i] - flat.get(i)));
        }
        assertTrue(max <= TOLERANCE, what + ": max abs difference " + max + " > " + TOLERANCE);
        return max;
    }

    private static void flatten(JsonNode n, List<Double> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else {
            out.add(n.asDouble());
        }
    }
}
