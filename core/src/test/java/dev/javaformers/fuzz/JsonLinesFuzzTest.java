package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.data.Datasets;
import java.nio.file.Path;

/** Fuzzes a JSON-lines dataset. */
class JsonLinesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.inFolder(dir -> {
            Path file = FuzzSupport.write(dir, "reviews.jsonl", data);
            FuzzSupport.expectResultOrRefusal(file, IllegalArgumentException.class,
                    () -> Datasets.jsonl(file).numRows());
        });
    }
}
