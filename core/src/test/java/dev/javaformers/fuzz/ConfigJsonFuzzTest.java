package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.config.AutoConfig;
import java.nio.file.Path;

/** Fuzzes config.json through AutoConfig (model_type, every field's type). */
class ConfigJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.inFolder(dir -> {
            Path file = FuzzSupport.write(dir, "config.json", data);
            FuzzSupport.expectResultOrRefusal(file, IllegalArgumentException.class, () -> AutoConfig.fromPretrained(
                    dir.toString()));
        });
    }
}
