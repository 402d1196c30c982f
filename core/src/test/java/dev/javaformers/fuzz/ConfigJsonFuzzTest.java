package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.config.AutoConfig;

/** Fuzzes config.json through AutoConfig (model_type, every field's type). */
class ConfigJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "config.json", IllegalArgumentException.class,
                file -> AutoConfig.fromPretrained(file.getParent().toString()));
    }
}
