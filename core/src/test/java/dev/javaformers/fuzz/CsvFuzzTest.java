package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.data.Datasets;
import java.nio.file.Path;

/** Fuzzes a CSV dataset (header, quoting, ragged rows). */
class CsvFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.inFolder(dir -> {
            Path file = FuzzSupport.write(dir, "reviews.csv", data);
            FuzzSupport.expectResultOrRefusal(file, IllegalArgumentException.class, () -> Datasets.csv(file).numRows());
        });
    }
}
