package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.ConfigType;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.plugin.PluginArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The architecture list: one declaring class per model folder, read by AutoConfig and every Auto class. */
class ArchitectureRegistryTest {

    @TempDir
    Path tmp;

    private static List<Architecture> declared() {
        List<Architecture> all = new ArrayList<>();
        for (ConfigType t : ServiceLoader.load(ConfigType.class)) {
            all.add(assertInstanceOf(Architecture.class, t, t.getClass() + " should declare its models too"));
        }
        return all;
    }

    /** Every folder under models/ (in the compiled classes) has exactly one Architecture, and it is listed. */
    @Test
    void everyModelFolderDeclaresItselfOnceAndIsListed() throws Exception {
        Path models = Path.of(Architecture.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/javaformers/models");
        Map<String, List<String>> perFolder = new TreeMap<>();
        try (Stream<Path> folders = Files.list(models)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                String pkg = "dev.javaformers.models." + folder.getFileName();
                List<String> found = new ArrayList<>();
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        Class<?> c = Class.forName(pkg + "." + f.getFileName().toString().replace(".class", ""));
                        if (Architecture.class.isAssignableFrom(c)) {
                            found.add(c.getName());
                        }
                    }
                }
                perFolder.put(folder.getFileName().toString(), found);
            }
        }
        assertEquals(List.of("bart", "bert", "distilbert", "gpt2", "llama", "marian", "mistral", "qwen2", "roberta",
                "t5"),
                List.copyOf(perFolder.keySet()));
        List<String> listed = declared().stream().map(a -> a.getClass().getName()).toList();
        perFolder.forEach((folder, found) -> {
            assertEquals(1, found.size(), folder + " should have one Architecture class: " + found);
            assertTrue(listed.contains(found.get(0)), found.get(0) + " is not in the service file");
        });
    }

    @Test
    void autoConfigAndEveryTaskFactoryMapWhatTheArchitecturesDeclare() {
        for (Architecture a : declared()) {
            PretrainedConfig config = AutoConfig.forModel(a.modelType(), Map.of());
            assertSame(a.configClass(), config.getClass(), a.modelType());
            assertEquals(a.modelType(), config.getModelType());
            a.models().forEach((task, model) -> assertSame(model, task.factory().modelClassFor(config),
                    a.modelType() + " " + task));
        }
        assertSame(Task.BASE.factory(), AutoModel.FACTORY);
        assertSame(Task.SEQUENCE_CLASSIFICATION.factory(), AutoModelForSequenceClassification.FACTORY);
        assertSame(Task.TOKEN_CLASSIFICATION.factory(), AutoModelForTokenClassification.FACTORY);
        assertSame(Task.MASKED_LM.factory(), AutoModelForMaskedLM.FACTORY);
        assertSame(Task.QUESTION_ANSWERING.factory(), AutoModelForQuestionAnswering.FACTORY);
        assertSame(Task.MULTIPLE_CHOICE.factory(), AutoModelForMultipleChoice.FACTORY);
    }

    /** The test class path declares "plugin-test" in a service file only: it loads by name like a built-in. */
    @Test
    void anArchitectureOnTheClassPathLoadsWithoutRegistering() {
        PretrainedConfig config = AutoConfig.forModel("plugin-test", Map.of("num_labels", 3));
        try (PreTrainedModel<?> model = AutoModelForSequenceClassification.fromConfig(config)) {
            assertInstanceOf(PluginArchitecture.PluginForSequenceClassification.class, model);
            model.save(tmp);
        }
        assertInstanceOf(PluginArchitecture.PluginConfig.class, AutoConfig.fromPretrained(tmp.toString()));
        try (PreTrainedModel<?> base = AutoModel.fromPretrained(tmp.toString());
                NDManager manager = NDManager.newBaseManager()) {
            assertInstanceOf(PluginArchitecture.PluginModel.class, base);
            assertEquals(List.of(), base.loadReport().missingKeys(), "the head's checkpoint loads into the base");
            var out = (BaseModelOutput) base.forward(Map.of("input_ids", manager.create(new long[][] {{1, 2, 3}})));
            assertArrayEquals(new long[] {1, 8}, out.poolerOutput().getShape().getShape());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> AutoModelForMaskedLM.fromPretrained(tmp.toString()));
        assertTrue(e.getMessage().contains("AutoModelForMaskedLM") && e.getMessage().contains("plugin-test"),
                e.getMessage());
        var twice = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.register("plugin-test", PluginArchitecture.PluginConfig.class));
        assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());
    }

    @Test
    void tasksByTheirPipelineAndDslNames() {
        assertEquals(Task.SEQUENCE_CLASSIFICATION, Task.of("sentiment-analysis"));
        assertEquals(Task.SEQUENCE_CLASSIFICATION, Task.of("sequence-classification"));
        assertEquals(Task.TOKEN_CLASSIFICATION, Task.of("ner"));
        assertEquals(Task.MASKED_LM, Task.of("fill-mask"));
        assertEquals(Task.MASKED_LM, Task.of("MASKED_LM"));
        assertEquals(Task.BASE, Task.of("feature-extraction"));
        assertEquals(Task.CAUSAL_LM, Task.of("text-generation"));
        assertEquals("AutoModelForCausalLM", Task.CAUSAL_LM.autoClassName());
        assertEquals(Task.QUESTION_ANSWERING, Task.of("question-answering"));
        assertEquals(Task.MULTIPLE_CHOICE, Task.of("multiple-choice"));
        var e = assertThrows(IllegalArgumentException.class, () -> Task.of("translate-everything"));
        assertTrue(e.getMessage().contains("translate-everything") && e.getMessage().contains("fill-mask"),
                e.getMessage());
        var none = assertThrows(IllegalArgumentException.class,
                () -> Task.CAUSAL_LM.factory().modelClassFor(AutoConfig.forModel("bert", Map.of())));
        assertTrue(none.getMessage().contains("AutoModelForCausalLM"), none.getMessage());
    }
}
