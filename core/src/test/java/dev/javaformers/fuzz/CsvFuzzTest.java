package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.data.Datasets;

/** Fuzzes a CSV dataset (header, quoting, ragged rows). */
class CsvFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "reviews.csv", IllegalArgumentException.class, file -> Datasets.csv(file).numRows());
    }
}
