package dev.javaformers.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What transformers keeps in {@code trainer_state.json}: the step, the epoch, every log entry, and the best
 * metric and checkpoint so far.
 */
public final class TrainerState {

    public int globalStep;
    public double epoch;
    public int maxSteps;
    public double numTrainEpochs;
    public int trainBatchSize;
    public double loggingSteps;
    public double evalSteps;
    public double saveSteps;
    public Double bestMetric;
    public String bestModelCheckpoint;
    public final List<Map<String, Object>> logHistory = new ArrayList<>();

    /** The training losses logged so far, in order (for charts and tests). */
    public List<Double> losses() {
        List<Double> out = new ArrayList<>();
        for (Map<String, Object> entry : logHistory) {
            if (entry.get("loss") instanceof Number n) {
                out.add(n.doubleValue());
            }
        }
        return out;
    }

    ObjectNode toJson() {
        ObjectNode out = PyJson.MAPPER.createObjectNode();
        out.set("best_metric", PyJson.MAPPER.valueToTree(bestMetric));
        out.set("best_model_checkpoint", PyJson.MAPPER.valueToTree(bestModelCheckpoint));
        out.put("epoch", epoch);
        out.put("eval_steps", evalSteps);
        out.put("global_step", globalStep);
        out.put("is_hyper_param_search", false);
        out.put("is_local_process_zero", true);
        out.put("is_world_process_zero", true);
        out.set("log_history", PyJson.MAPPER.valueToTree(logHistory));
        out.put("logging_steps", loggingSteps);
        out.put("max_steps", maxSteps);
        out.put("num_input_tokens_seen", 0);
        out.put("num_train_epochs", numTrainEpochs);
        out.put("save_steps", saveSteps);
        out.put("total_flos", 0);
        out.put("train_batch_size", trainBatchSize);
        out.putNull("trial_name");
        out.putNull("trial_params");
        return out;
    }

    void save(Path file) {
        PyJson.writeFile(file, toJson(), true);
    }

    static TrainerState load(Path file) {
        JsonNode json = PyJson.read(file);
        TrainerState s = new TrainerState();
        s.globalStep = json.path("global_step").asInt();
        s.epoch = json.path("epoch").asDouble();
        s.maxSteps = json.path("max_steps").asInt();
        s.numTrainEpochs = json.path("num_train_epochs").asDouble();
        s.trainBatchSize = json.path("train_batch_size").asInt();
        s.loggingSteps = json.path("logging_steps").asDouble();
        s.evalSteps = json.path("eval_steps").asDouble();
        s.saveSteps = json.path("save_steps").asDouble();
        s.bestMetric = json.path("best_metric").isNumber() ? json.get("best_metric").asDouble() : null;
        s.bestModelCheckpoint = json.path("best_model_checkpoint").asText(null);
        for (JsonNode entry : json.path("log_history")) {
            Map<String, Object> map = new LinkedHashMap<>();
            entry.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isIntegralNumber()
                    ? (Object) e.getValue().asLong() : e.getValue().isNumber() ? (Object) e.getValue().asDouble()
                    : e.getValue().asText()));
            s.logHistory.add(map);
        }
        return s;
    }
}
