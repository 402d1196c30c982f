package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.data.Datasets;
import java.nio.file.Path;

/** Fuzzes a JSON dataset (records or columns). */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.inFolder(dir -> {
            Path file = FuzzSupport.write(dir, "reviews.json", data);
            FuzzSupport.expectResultOrRefusal(file, IllegalArgumentException.class,
                    () -> Datasets.json(file).numRows());
        });
    }
}
