package dev.javaformers.models;

import java.util.List;

/**
 * How a checkpoint matched a model, as transformers' {@code output_loading_info}: weights the model has that the
 * checkpoint lacked (newly initialised), weights the checkpoint had that the model does not use, and weights whose
 * shapes differ (only kept when {@code ignore_mismatched_sizes}).
 */
public record LoadReport(String source, String modelClass, List<String> missingKeys, List<String> unexpectedKeys,
        List<String> mismatchedKeys) {

    /** The warnings transformers prints, or an empty string when everything matched. */
    public String warnings() {
        StringBuilder out = new StringBuilder();
        if (!unexpectedKeys.isEmpty()) {
            out.append("Some weights of the model checkpoint at ").append(source).append(" were not used when ")
                    .append("initializing ").append(modelClass).append(": ").append(unexpectedKeys)
                    .append("\n- This IS expected if you are initializing ").append(modelClass)
                    .append(" from the checkpoint of a model trained on another task or with another architecture."
                            + "\n- This IS NOT expected if the checkpoint is of exactly this architecture.\n");
        }
        if (!missingKeys.isEmpty()) {
            out.append("Some weights of ").append(modelClass).append(" were not initialized from the model ")
                    .append("checkpoint at ").append(source).append(" and are newly initialized: ")
                    .append(missingKeys).append("\nYou should probably TRAIN this model on a down-stream task to "
                            + "be able to use it for predictions and inference.\n");
        }
        if (!mismatchedKeys.isEmpty()) {
            out.append("Some weights of ").append(modelClass).append(" were not initialized from the checkpoint at ")
                    .append(source).append(" because their shapes differ, and are newly initialized: ")
                    .append(mismatchedKeys).append("\n");
        }
        return out.toString();
    }
}
