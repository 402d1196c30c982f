import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.*;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.generation.TextStreamer;
import dev.javaformers.models.AutoModelForCausalLM;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.train.*;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * No small pretrained causal LM ships in a package here, so this trains one: a 4-layer GPT-2 (128 wide, GPT-2's
 * own 50,257-token tokenizer) on the King James Bible with the Trainer, as transformers' run_clm.py does (tokenize,
 * group into blocks, DataCollatorForLanguageModeling without masking), then generates from it, streamed:
 *   scripts/fetch-kjv && java -cp "$(scripts/classpath)" scripts/examples/TinyGpt2.java [max_steps] [out dir]
 */
public class TinyGpt2 {
    public static void main(String[] argv) {
        int steps = argv.length > 0 ? Integer.parseInt(argv[0]) : 600;
        Path out = Path.of(argv.length > 1 ? argv[1] : "out/tiny-gpt2-kjv");
        Trainer.setSeed(42);
        var tokenizer = AutoTokenizer.fromPretrained("out/data/gpt2-tokenizer");
        Dataset blocks = Datasets.text(Path.of("out/data/kjv.txt"))
                .map(row -> Map.of("text", row.get("text") + "\n"))     // one verse a line, kept apart
                .map(tokenizer, "text", Map.of())
                .groupTexts(64);
        DatasetDict splits = blocks.trainTestSplit(0.01, 42, null);
        System.out.println(splits);

        var model = AutoModelForCausalLM.fromConfig(AutoConfig.forModel("gpt2", Map.of("n_embd", 128, "n_layer", 4,
                "n_head", 4, "n_positions", 64)));
        TrainingArguments args = TrainingArguments.of(Map.of("output_dir", out.resolve("run").toString(),
                "max_steps", steps, "per_device_train_batch_size", 16, "per_device_eval_batch_size", 32,
                "learning_rate", 2e-3, "warmup_steps", 30, "lr_scheduler_type", "cosine", "weight_decay", 0.01,
                "logging_steps", 50, "save_strategy", "no"));
        Trainer trainer = new Trainer(model, args)
                .optTrainDataset(splits.split("train")).optEvalDataset(splits.split("test"))
                .optDataCollator(new DataCollatorForLanguageModeling(tokenizer, false));
        trainer.train();
        double loss = trainer.evaluate().get("eval_loss");
        System.out.printf("eval_loss %.3f, perplexity %.1f%n", loss, Math.exp(loss));
        model.save(out);
        tokenizer.save(out);

        for (String prompt : List.of("And God said", "In the beginning")) {
            ((GenerationMixin) model).generate(tokenizer.encode(List.of(prompt), Map.of()), Map.of(
                    "max_new_tokens", 40, "do_sample", true, "temperature", 0.8, "top_k", 40, "seed", 7),
                    new TextStreamer(tokenizer));
        }
    }
}
