package dev.javaformers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.hub.LocalHubServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;

class DatasetsLoadingTest {

    @TempDir
    Path tmp;

    private Path write(String name, String content) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void builtinSentimentSentences() {
        Dataset ds = Datasets.builtin("sentiment-sentences");
        assertEquals(3000, ds.numRows(), "1,000 per source, the empty last entries skipped");
        assertEquals(List.of("text", "label", "source"), ds.columnNames());
        assertEquals(List.of("negative", "positive"), ds.classLabel("label").names());
        assertEquals(1500L, ds.column("label").stream().filter(v -> (Integer) v == 1).count());
        assertEquals(1000L, ds.column("source").stream().filter("imdb"::equals).count());
        assertTrue(ds.column("text").stream().noneMatch(t -> t.toString().isBlank()));
        assertEquals("So there is no way for me to plug it in here in the US unless I go by a converter.",
                ds.get(0).get("text"));
    }

    @Test
    void csvTsvJsonAndJsonLines() throws Exception {
        Dataset csv = Datasets.csv(write("reviews.csv", "text,label,score\n\"Great, really great\",pos,4.5\n"
                + "\"Line one\nline two\",neg,1\nplain,pos,3\n"));
        assertEquals(3, csv.numRows());
        assertEquals("Great, really great", csv.get(0).get("text"));
        assertEquals("Line one\nline two", csv.get(1).get("text"));
        assertEquals(ColumnType.DOUBLE, csv.table().column("score").type());
        assertEquals(ColumnType.STRING, csv.table().column("label").type());

        Dataset tsv = Datasets.tsv(write("r.tsv", "text\tlabel\nhello\t1\nbye\t0\n"), Map.of());
        assertEquals(ColumnType.INTEGER, tsv.table().column("label").type());
        assertEquals(0, tsv.get(1).get("label"));

        Dataset json = Datasets.json(write("r.json", "{\"data\": [{\"text\": \"a\", \"label\": 1, "
                + "\"ids\": [5, 6, 7]}, {\"text\": \"b\", \"label\": 0, \"ids\": [8]}]}"), Map.of("field", "data"));
        assertEquals(List.of("text", "label", "ids"), json.columnNames());
        assertEquals(3, json.sequences("ids").length(0), "lists of numbers become token sequences");

        Dataset jsonl = Datasets.jsonl(write("r.jsonl", "{\"text\": \"a\", \"label\": 1}\n\n{\"text\": \"b\"}\n"));
        assertEquals(2, jsonl.numRows());
        assertEquals(null, jsonl.get(1).get("label"), "a key missing from a row is a missing cell");
    }

    @Test
    void badDataGivesFileAndLine() throws Exception {
        Path empty = write("empty.csv", "");
        var e1 = assertThrows(IllegalArgumentException.class, () -> Datasets.csv(empty));
        assertTrue(e1.getMessage().contains("empty.csv") && e1.getMessage().contains("empty"), e1.getMessage());

        Path ragged = write("ragged.csv", "text,label\ngood,1\nbad,0,extra\nfine,1\n");
        var e2 = assertThrows(IllegalArgumentException.class, () -> Datasets.csv(ragged));
        assertTrue(e2.getMessage().contains("ragged.csv, line 3") && e2.getMessage().contains("expected 2 fields"),
                e2.getMessage());

        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        Dataset skipped;
        try {
            skipped = Datasets.csv(ragged, Map.of("skip_bad_rows", true));
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, skipped.numRows());
        assertTrue(err.toString().contains("Skipped 1 bad rows of") && err.toString().contains("line 3"),
                err.toString());

        Path badJsonl = write("bad.jsonl", "{\"text\": \"a\"}\n{\"text\": oops}\n");
        var e3 = assertThrows(IllegalArgumentException.class, () -> Datasets.jsonl(badJsonl));
        assertTrue(e3.getMessage().contains("bad.jsonl, line 2") && e3.getMessage().contains("not valid JSON"),
                e3.getMessage());
        Path notObjects = write("list.json", "[{\"text\": \"a\"}, 42]");
        var e4 = assertThrows(IllegalArgumentException.class, () -> Datasets.json(notObjects));
        assertTrue(e4.getMessage().contains("list.json, line 2") && e4.getMessage().contains("not an object"),
                e4.getMessage());

        Dataset ds = Datasets.csv(write("labels.csv", "text,label\na,pos\nb,neutral\n"));
        var e5 = assertThrows(IllegalArgumentException.class, () -> ds.classEncode("label", List.of("neg", "pos")));
        assertTrue(e5.getMessage().contains("row 1") && e5.getMessage().contains("'neutral' is not one of the classes [neg, pos]"),
                e5.getMessage());
        var e6 = assertThrows(IllegalArgumentException.class, () -> ds.removeColumns("txt"));
        assertTrue(e6.getMessage().contains("'txt'") && e6.getMessage().contains("[text, label]"), e6.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.csv(tmp.resolve("nope.csv")));
    }

    /** Parquet written by DuckDB's writer (zstd and snappy), read back through Datasets. */
    private Path parquetFile(String name, String select, String codec) throws Exception {
        Path file = tmp.resolve(name);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet, COMPRESSION " + codec + ")");
        }
        return file;
    }

    @Test
    void parquetFiles() throws Exception {
        Path file = parquetFile("train.parquet", "SELECT 'sentence ' || i AS text, i % 2 AS label, i * 0.5 AS score, "
                + "[101, i, 102] AS input_ids, CASE WHEN i = 3 THEN NULL ELSE 'x' END AS note FROM range(1000) t(i)",
                "zstd");
        Dataset ds = Datasets.file(file, Map.of());
        assertEquals(1000, ds.numRows());
        assertEquals(List.of("text", "label", "score", "note", "input_ids"), ds.columnNames());
        assertEquals("sentence 7", ds.get(7).get("text"));
        assertEquals(1, ds.get(7).get("label"));
        assertEquals(3.5, ds.get(7).get("score"));
        assertEquals(null, ds.get(3).get("note"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {101, 7, 102}, (int[]) ds.get(7).get("input_ids"));
        assertEquals(1000, Datasets.parquet(parquetFile("s.parquet", "SELECT 'a' AS text FROM range(1000)", "snappy"))
                .numRows());
        Path notParquet = write("broken.parquet", "not parquet at all");
        var e = assertThrows(IllegalArgumentException.class, () -> Datasets.parquet(notParquet));
        assertTrue(e.getMessage().contains("broken.parquet") && e.getMessage().contains("Parquet"), e.getMessage());
    }

    @Test
    void hubDatasetRepositoriesSplitByFileName() throws Exception {
        try (LocalHubServer hub = LocalHubServer.start()) {
            hub.repo("dataset", "org/reviews")
                    .file("README.md", "# reviews")
                    .file("data/train-00000-of-00002.csv", "text,label\ngood,1\nbad,0\n")
                    .file("data/train-00001-of-00002.csv", "text,label\nfine,1\n")
                    .file("data/test-00000-of-00001.jsonl", "{\"text\": \"meh\", \"label\": 0}\n")
                    .file("data/validation-00000-of-00001.parquet", Files.readAllBytes(parquetFile("v.parquet",
                            "SELECT 'ok' AS text, 1 AS label", "snappy")));
            Map<String, Object> options = Map.of("endpoint", hub.endpoint(), "cache_dir", tmp.resolve("cache").toString());
            DatasetDict splits = Datasets.load("org/reviews", options);
            assertEquals(List.of("train", "validation", "test"), List.copyOf(splits.keySet()));
            assertEquals("ok", splits.split("validation").get(0).get("text"), "Parquet through the Hub (an LFS file)");
            assertEquals(3, splits.split("train").numRows());
            assertEquals("meh", splits.split("test").get(0).get("text"));
            assertTrue(Files.isDirectory(tmp.resolve("cache/datasets--org--reviews/snapshots")),
                    "dataset files land in the datasets-- cache folder, as Python's");

            hub.close();
            DatasetDict offline = Datasets.load("org/reviews", Map.of("cache_dir", tmp.resolve("cache").toString(),
                    "local_files_only", true));
            assertEquals(3, offline.split("train").numRows(), "offline, the cached snapshot lists the files");
            var e = assertThrows(IllegalArgumentException.class, () -> offline.split("dev"));
            assertTrue(e.getMessage().contains("[train, validation, test]"), e.getMessage());
        }
        assertEquals("validation", Datasets.splitOf("dev.csv"));
        assertEquals("", Datasets.splitOf("reviews.csv"));
    }
}
