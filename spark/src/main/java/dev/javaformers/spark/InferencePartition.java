package dev.javaformers.spark;

import dev.javaformers.pipelines.Pipeline;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Runs a pipeline over one partition, {@code batchSize} rows at a time as they stream in (a partition larger than
 * memory never is in memory whole), each output row the input row and the task's columns and {@code error}. A
 * row that cannot be run (null text; a text the model refuses) gets its message in {@code error} and nulls in the
 * other columns instead of failing the job. Batches are cut the same way on every attempt, so a retried task
 * gives the same rows.
 */
final class InferencePartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final InferenceTask task;
    private final String model;
    private final HashMap<String, Object> pipelineOptions;
    private final HashMap<String, Object> callSettings;
    private final int textIndex;
    private final int batchSize;

    InferencePartition(InferenceTask task, String model, Map<String, Object> pipelineOptions,
            Map<String, Object> callSettings, int textIndex, int batchSize) {
        this.task = task;
        this.model = model;
        this.pipelineOptions = new HashMap<>(pipelineOptions);
        this.callSettings = new HashMap<>(callSettings);
        this.textIndex = textIndex;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && rows.hasNext()) {
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(rows.next());
                    }
                    ready.addAll(run(batch));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** One batch's output rows, in input order. */
    List<Row> run(List<Row> batch) {
        Object[][] results = new Object[batch.size()][];
        String[] errors = new String[batch.size()];
        List<Integer> runnable = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Object text = batch.get(i).get(textIndex);
            if (text == null) {
                errors[i] = "text is null";
            } else {
                runnable.add(i);
            }
        }
        if (!runnable.isEmpty()) {
            Pipeline pipeline = ExecutorPipelines.borrow(task.pipelineTask, model, pipelineOptions);
            try {
                infer(pipeline, batch, runnable, results, errors);
            } finally {
                ExecutorPipelines.giveBack(task.pipelineTask, model, pipelineOptions, pipeline);
            }
        }
        List<Row> out = new ArrayList<>(batch.size());
        int added = task.fields("").size();
        for (int i = 0; i < batch.size(); i++) {
            Row in = batch.get(i);
            Object[] values = new Object[in.length() + added + 1];
            for (int c = 0; c < in.length(); c++) {
                values[c] = in.get(c);
            }
            if (results[i] != null) {
                System.arraycopy(results[i], 0, values, in.length(), added);
            }
            values[values.length - 1] = errors[i];
            out.add(RowFactory.create(values));
        }
        return out;
    }

    /** The batch in one call; if the model refuses it, each text alone, so that one bad text fails alone. */
    private void infer(Pipeline pipeline, List<Row> batch, List<Integer> runnable, Object[][] results,
            String[] errors) {
        List<Object> texts = new ArrayList<>();
        runnable.forEach(i -> texts.add(batch.get(i).get(textIndex).toString()));
        Map<String, Object> settings = new HashMap<>(callSettings);
        settings.put("batch_size", texts.size());
        try {
            List<?> out = (List<?>) pipeline.call(texts, settings);
            for (int k = 0; k < runnable.size(); k++) {
                results[runnable.get(k)] = task.values(out.get(k));
            }
        } catch (RuntimeException batchFailed) {
            settings.put("batch_size", 1);
            for (int k = 0; k < runnable.size(); k++) {
                try {
                    List<?> one = (List<?>) pipeline.call(List.of(texts.get(k)), settings);
                    results[runnable.get(k)] = task.values(one.get(0));
                } catch (RuntimeException e) {
                    errors[runnable.get(k)] = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
        }
    }
}
