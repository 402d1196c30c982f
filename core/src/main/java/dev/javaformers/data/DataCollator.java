package dev.javaformers.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Makes one batch of model inputs from rows of a dataset, as transformers' data collators do. */
@FunctionalInterface
public interface DataCollator {

    /** The batch of {@code rows} of {@code dataset}, as arrays in {@code manager}. */
    Map<String, NDArray> collate(Dataset dataset, int[] rows, NDManager manager);
}
