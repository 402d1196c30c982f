package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.data.Datasets;

/** Fuzzes a JSON-lines dataset. */
class JsonLinesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "reviews.jsonl", IllegalArgumentException.class,
                file -> Datasets.jsonl(file).numRows());
    }
}
