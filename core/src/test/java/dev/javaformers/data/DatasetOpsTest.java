package dev.javaformers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetOpsTest {

    @TempDir
    static Path cache;
    static PreTrainedTokenizer tokenizer;
    static Dataset sentiment;

    @BeforeAll
    static void load() {
        tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true));
        sentiment = Datasets.builtin("sentiment-sentences");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void toJsonAndToCsvWriteWhatTheReadersTakeBack(@TempDir Path dir) throws Exception {
        Dataset small = sentiment.selectRange(0, 12).map(tokenizer, "text", Map.of("truncation", true))
                .map(row -> Map.of("score", ((Integer) row.get("label")) * 0.5, "quote", "say \"hi\", then\nleave"));
        Dataset jsonl = Datasets.jsonl(small.toJson(dir.resolve("data.jsonl")));
        Dataset array = Datasets.json(small.toJson(dir.resolve("data.json"), Map.of("lines", false)));
        for (Dataset back : List.of(jsonl, array)) {
            assertEquals(small.columnNames().stream().sorted().toList(),
                    back.columnNames().stream().sorted().toList());
            for (int i = 0; i < small.numRows(); i++) {
                assertEquals(small.get(i).get("text"), back.get(i).get("text"));
                assertEquals(small.get(i).get("label"), back.get(i).get("label"));
                assertEquals(small.get(i).get("quote"), back.get(i).get("quote"));
                assertEquals(((Number) small.get(i).get("score")).doubleValue(),
                        ((Number) back.get(i).get("score")).doubleValue());
                assertArrayEquals((int[]) small.get(i).get("input_ids"), (int[]) back.get(i).get("input_ids"));
            }
        }
        assertEquals(small.numRows(), java.nio.file.Files.readAllLines(dir.resolve("data.jsonl")).size(),
                "one line per row");

        Dataset csv = Datasets.csv(small.toCsv(dir.resolve("data.csv")));
        assertEquals(small.column("text"), csv.column("text"));
        assertEquals(small.column("quote"), csv.column("quote"), "quotes and line breaks survive");
        assertEquals(small.column("label"), csv.column("label"));
        assertEquals(java.util.Arrays.toString((int[]) small.get(0).get("input_ids")).replace(" ", ""),
                csv.get(0).get("input_ids").toString().replace(" ", ""), "token ids as a JSON array in the cell");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> small.toJson(dir.resolve("x.json"), Map.of("orient", "records")));
        assertTrue(e.getMessage().contains("orient"), e.getMessage());
    }

    @Test
    void mapFilterSelectShuffleRenameRemove() {
        Dataset small = sentiment.selectRange(0, 10);
        Dataset withLength = small.map(row -> Map.of("chars", row.get("text").toString().length()));
        assertEquals(small.get(3).get("text").toString().length(), withLength.get(3).get("chars"));
        Dataset upper = small.mapBatched(batch -> Map.of("text", batch.get("text").stream()
                .map(t -> t.toString().toUpperCase()).toList()), 4);
        assertEquals(small.get(9).get("text").toString().toUpperCase(), upper.get(9).get("text"));
        assertEquals(3000, sentiment.numRows(), "operations return new datasets");

        Dataset positive = sentiment.filter(row -> (Integer) row.get("label") == 1);
        assertEquals(1500, positive.numRows());
        assertEquals(sentiment.get(7).get("text"), sentiment.select(7, 3).get(0).get("text"));

        Dataset a = sentiment.shuffle(42);
        Dataset b = sentiment.shuffle(42);
        assertEquals(a.column("text"), b.column("text"), "the seed fixes the order");
        assertNotEquals(sentiment.column("text"), a.column("text"));
        assertEquals(new HashSet<>(sentiment.column("text")), new HashSet<>(a.column("text")));

        Dataset renamed = small.renameColumn("label", "labels").removeColumns("source");
        assertEquals(List.of("text", "labels"), renamed.columnNames());
        assertEquals(List.of("negative", "positive"), renamed.classLabel("labels").names(), "class names follow");
    }

    @Test
    void stratifiedSplitKeepsTheClassBalance() {
        DatasetDict splits = sentiment.trainTestSplit(0.2, 42, "label");
        assertEquals(2400, splits.split("train").numRows());
        assertEquals(600, splits.split("test").numRows());
        assertEquals(300L, splits.split("test").column("label").stream().filter(v -> (Integer) v == 1).count());
        DatasetDict again = sentiment.trainTestSplit(0.2, 42, "label");
        assertEquals(splits.split("test").column("text"), again.split("test").column("text"));
        assertEquals(300, sentiment.trainTestSplit(300, 1, null).split("test").numRows(), "a count works too");
    }

    @Test
    void classEncodeFlowsIntoTheModelConfig() {
        Dataset named = sentiment.selectRange(0, 6).map(row -> Map.of("label",
                (Integer) row.get("label") == 1 ? "great" : "awful"));
        Dataset encoded = named.classEncode("label");
        ClassLabel classes = encoded.classLabel("label");
        assertEquals(List.of("awful", "great"), classes.names(), "names sorted, as class_encode_column does");
        assertEquals(classes.encode((String) named.get(0).get("label")), encoded.get(0).get("label"));
        try (var model = AutoModelForSequenceClassification.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true, "num_labels", classes.numClasses(),
                        "id2label", classes.id2label(), "label2id", classes.label2id()))) {
            assertEquals(Map.of(0, "awful", 1, "great"), model.config().id2label);
            assertEquals(1, model.config().label2id.get("great"));
        }
    }

    @Test
    void tokenizeCollateAndBatch() {
        Dataset tokenized = sentiment.map(tokenizer, "text", Map.of("truncation", true, "max_length", 64));
        assertEquals(List.of("text", "label", "source", "input_ids"), tokenized.columnNames());
        int[] first = (int[]) tokenized.get(0).get("input_ids");
        assertArrayEquals(tokenizer.encode(sentiment.get(0).get("text").toString()).inputIds()[0],
                java.util.Arrays.stream(first).asLongStream().toArray());
        assertTrue(tokenized.toString().contains("input_ids") && tokenized.toString().contains("[101, "),
                tokenized.toString());
        long tokens = 0;
        for (int i = 0; i < tokenized.numRows(); i++) {
            tokens += tokenized.sequences("input_ids").length(i);
        }
        assertTrue(tokenized.sequenceBytes() <= 4 * tokens + 4 * 3001, "4 bytes a token plus row offsets");

        DataCollatorWithPadding collator = new DataCollatorWithPadding(tokenizer);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> batch = collator.collate(tokenized, new int[] {0, 1, 2}, manager);
            int longest = java.util.stream.IntStream.of(0, 1, 2).map(r -> tokenized.sequences("input_ids").length(r))
                    .max().getAsInt();
            assertArrayEquals(new long[] {3, longest}, batch.get("input_ids").getShape().getShape());
            assertEquals(List.of("input_ids", "attention_mask", "token_type_ids", "labels"), List.copyOf(batch.keySet()));
            long[] mask = batch.get("attention_mask").get(0).toLongArray();
            assertEquals(tokenized.sequences("input_ids").length(0), java.util.Arrays.stream(mask).sum());
            assertArrayEquals(java.util.stream.IntStream.of(0, 1, 2).mapToLong(r -> (Integer) tokenized.get(r)
                    .get("label")).toArray(), batch.get("labels").toLongArray());
            long padded = collator.optPadToMultipleOf(8).collate(tokenized, new int[] {0, 1}, manager)
                    .get("input_ids").getShape().get(1);
            assertEquals(0, padded % 8);

            DataLoader loader = new DataLoader(tokenized, 32, new DataCollatorWithPadding(tokenizer))
                    .optShuffle(true).optSeed(7);
            assertEquals(94, loader.numBatches());
            List<int[]> epoch0 = new ArrayList<>();
            List<int[]> epoch1 = new ArrayList<>();
            for (var b : loader.epoch(0, manager)) {
                try (b) {
                    epoch0.add(b.rows());
                }
            }
            for (var b : loader.epoch(1, manager)) {
                try (b) {
                    epoch1.add(b.rows());
                    assertEquals(b.size(), b.inputs().get("input_ids").getShape().get(0));
                }
            }
            assertEquals(94, epoch0.size());
            assertFalse(java.util.Arrays.equals(epoch0.get(0), epoch1.get(0)), "each epoch has its own order");
            assertArrayEquals(epoch0.get(0), loader.epoch(0, manager).iterator().next().rows(),
                    "an epoch's order depends only on the seed and the epoch");
            assertEquals(93, loader.optDropLast(true).numBatches());
        }
    }

    @Test
    void sortishBatchesHoldSimilarLengthsAndStartWithTheLongest() {
        Dataset tokenized = sentiment.map(tokenizer, "text", Map.of("truncation", true, "max_length", 64));
        TokenColumn ids = tokenized.sequences("input_ids");
        int[] lengths = java.util.stream.IntStream.range(0, ids.size()).map(ids::length).toArray();
        int longest = java.util.Arrays.stream(lengths).max().getAsInt();
        DataLoader plain = new DataLoader(tokenized, 16, new DataCollatorWithPadding(tokenizer)).optShuffle(true);
        DataLoader sortish = new DataLoader(tokenized, 16, new DataCollatorWithPadding(tokenizer)).optShuffle(true)
                .optSortish(lengths);
        try (NDManager manager = NDManager.newBaseManager()) {
            long plainPadding = 0;
            long sortishPadding = 0;
            HashSet<Integer> seen = new HashSet<>();
            boolean first = true;
            for (var b : sortish.epoch(0, manager)) {
                try (b) {
                    int max = java.util.Arrays.stream(b.rows()).map(r -> lengths[r]).max().getAsInt();
                    if (first) {
                        assertEquals(longest, max, "the batch with the longest row comes first");
                        first = false;
                    }
                    for (int r : b.rows()) {
                        assertTrue(seen.add(r), "row " + r + " twice");
                        sortishPadding += max - lengths[r];
                    }
                }
            }
            assertEquals(tokenized.numRows(), seen.size(), "every row once");
            for (var b : plain.epoch(0, manager)) {
                try (b) {
                    int max = java.util.Arrays.stream(b.rows()).map(r -> lengths[r]).max().getAsInt();
                    for (int r : b.rows()) {
                        plainPadding += max - lengths[r];
                    }
                }
            }
            assertTrue(sortishPadding * 3 < plainPadding, "padding: sortish " + sortishPadding + ", shuffled "
                    + plainPadding);
            int[] epoch0 = sortish.epoch(0, manager).iterator().next().rows();
            assertArrayEquals(epoch0, sortish.epoch(0, manager).iterator().next().rows(), "same seed, same order");
            assertFalse(java.util.Arrays.equals(epoch0, sortish.epoch(1, manager).iterator().next().rows()));
        }
    }
}
