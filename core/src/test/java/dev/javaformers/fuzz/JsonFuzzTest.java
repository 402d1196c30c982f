package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.data.Datasets;

/** Fuzzes a JSON dataset (records or columns). */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "reviews.json", IllegalArgumentException.class, file -> Datasets.json(file).numRows());
    }
}
