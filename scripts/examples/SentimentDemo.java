import dev.javaformers.chart.Charts;
import dev.javaformers.data.*;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.TextClassification;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.train.*;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The main job in Java: fine-tune the real all-MiniLM-L6-v2 on the built-in sentiment sentences (80/20 split,
 * one epoch), print the evaluation, draw the loss curve and the confusion matrix into a folder, and classify a few
 * new sentences:
 *   java -cp "$(scripts/classpath)" scripts/examples/SentimentDemo.java out
 */
public class SentimentDemo {
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "out");
        String name = System.getenv().getOrDefault("MODEL", "sentence-transformers/all-MiniLM-L6-v2");
        Trainer.setSeed(42);
        try (var tokenizer = AutoTokenizer.fromPretrained(name)) {
            Dataset sentences = Datasets.builtin("sentiment-sentences");
            DatasetDict splits = sentences.map(tokenizer, "text", Map.of("truncation", true, "max_length", 64))
                    .trainTestSplit(0.2, 42, "label");
            System.out.println(splits);
            ClassLabel labels = sentences.classLabel("label");
            Map<String, Object> kwargs = new HashMap<>(labels.configOverrides()); // num_labels, id2label, label2id
            kwargs.put("device", "auto");
            try (var model = AutoModelForSequenceClassification.fromPretrained(name, kwargs)) {
                TrainingArguments a = TrainingArguments.of(Map.of("output_dir", out.resolve("sentiment").toString(),
                        "num_train_epochs", 1, "per_device_train_batch_size", 16, "per_device_eval_batch_size", 64,
                        "learning_rate", 5e-5, "warmup_ratio", 0.1, "logging_steps", 10, "eval_strategy", "steps",
                        "eval_steps", 50, "save_strategy", "epoch"));
                Trainer trainer = new Trainer(model, a).optTrainDataset(splits.split("train"))
                        .optEvalDataset(splits.split("test")).optProcessingClass(tokenizer)
                        .optComputeMetrics(Metrics::classification);
                trainer.train();
                Trainer.PredictionOutput test = trainer.predict(splits.split("test"));
                System.out.printf("%nTest split: accuracy %.3f, precision %.3f, recall %.3f, F1 %.3f%n",
                        test.metrics().get("test_accuracy"), test.metrics().get("test_precision"),
                        test.metrics().get("test_recall"), test.metrics().get("test_f1"));
                System.out.println("Charts: " + Charts.loss(trainer.state()).save(out.resolve("loss.png")) + ", "
                        + Charts.confusionMatrix(trainer, splits.split("test")).save(out.resolve("confusion.png")));

                List<String> reviews = List.of("I loved every minute of this film.", "The food was cold and bland.",
                        "Works exactly as described, great value.", "Battery died after two days.");
                List<TextClassification.Prediction> predictions = TextClassification.predict(model, tokenizer, reviews);
                for (int i = 0; i < reviews.size(); i++) {
                    System.out.printf("%-45s -> %s (%.2f)%n", reviews.get(i), predictions.get(i).label(),
                            predictions.get(i).score());
                }
            }
        }
    }
}
