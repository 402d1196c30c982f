import dev.javaformers.chart.Charts;
import dev.javaformers.data.*;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.train.*;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fine-tunes all-MiniLM-L6-v2 on the sentiment sentences for one epoch and draws the loss curve and the confusion
 * matrix into a folder (the README's pictures come from this):
 *   java -cp "$(scripts/classpath)" scripts/examples/ChartsDemo.java docs/images
 */
public class ChartsDemo {
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "out");
        String name = "sentence-transformers/all-MiniLM-L6-v2";
        Trainer.setSeed(42);
        try (var tokenizer = AutoTokenizer.fromPretrained(name)) {
            Dataset sentences = Datasets.builtin("sentiment-sentences");
            DatasetDict splits = sentences.map(tokenizer, "text", Map.of("truncation", true, "max_length", 64))
                    .trainTestSplit(0.2, 42, "label");
            ClassLabel labels = sentences.classLabel("label");
            try (var model = AutoModelForSequenceClassification.fromPretrained(name, labels.configOverrides())) {
                TrainingArguments a = TrainingArguments.of(Map.of("output_dir", "out/charts-run", "num_train_epochs", 1,
                        "per_device_train_batch_size", 16, "per_device_eval_batch_size", 64, "learning_rate", 5e-5,
                        "warmup_ratio", 0.1, "logging_steps", 5, "eval_strategy", "steps", "eval_steps", 30,
                        "save_strategy", "no"));
                Trainer trainer = new Trainer(model, a).optTrainDataset(splits.split("train"))
                        .optEvalDataset(splits.split("test")).optProcessingClass(tokenizer)
                        .optComputeMetrics(Metrics::classification);
                trainer.train();
                Charts.loss(trainer.state()).save(out.resolve("loss.png"));
                Trainer.PredictionOutput p = trainer.predict(splits.split("test"));
                Charts.confusionMatrix(trainer, splits.split("test")).save(out.resolve("confusion.png"));
                System.out.println("accuracy " + p.metrics().get("test_accuracy") + "; charts in " + out);
            }
        }
    }
}
