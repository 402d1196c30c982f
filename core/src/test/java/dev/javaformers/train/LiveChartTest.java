package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.chart.LiveChart;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart bound to a running Trainer follows its logs as they arrive. */
class LiveChartTest {

    @TempDir
    Path tmp;

    @Test
    void updatesAsLogsArrive() throws Exception {
        try (PreTrainedTokenizer tokenizer = TrainFixtures.tokenizer(tmp.resolve("cache"));
                PreTrainedModel<?> model = TrainFixtures.load(TrainFixtures.smallModel(tmp.resolve("m"), 3))) {
            LiveChart live = new LiveChart();
            List<Integer> pointsSeen = new ArrayList<>();
            live.onChange(chart -> pointsSeen.add(chart.getSeriesMap().get("training loss").getXData().length));
            TrainingArguments args = TrainingArguments.of(Map.of("output_dir", tmp.resolve("out").toString(),
                    "per_device_train_batch_size", 8, "logging_steps", 2, "save_strategy", "no", "num_train_epochs", 1,
                    "disable_tqdm", true));
            new Trainer(model, args).optTrainDataset(TrainFixtures.sentences(tokenizer, 48))
                    .optProcessingClass(tokenizer).optCallbacks(live).train();
            assertEquals(List.of(1, 2, 3), pointsSeen.subList(0, 3), "one more point at each log: " + pointsSeen);
            assertTrue(live.updates() >= 3);
            live.chart().save(tmp.resolve("live.png"));
        }
    }
}
