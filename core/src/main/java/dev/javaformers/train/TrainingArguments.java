package dev.javaformers.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.util.Kwargs;
import dev.javaformers.util.PyJson;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * transformers' {@code TrainingArguments}: the same names (camelCase here, snake_case in maps and JSON) and
 * defaults. {@link #validate()} refuses contradictions with transformers' explanations.
 *
 * <pre>{@code
 * TrainingArguments args = TrainingArguments.of(Map.of("output_dir", "out/run", "num_train_epochs", 3,
 *         "eval_strategy", "epoch", "save_strategy", "epoch", "load_best_model_at_end", true));
 * }</pre>
 */
public class TrainingArguments {

    /** When to log, evaluate or save. */
    public enum IntervalStrategy { NO, STEPS, EPOCH }

    public String outputDir = "trainer_output";
    public double numTrainEpochs = 3.0;
    public int maxSteps = -1;
    public int perDeviceTrainBatchSize = 8;
    public int perDeviceEvalBatchSize = 8;
    public double learningRate = 5e-5;
    public double weightDecay = 0.0;
    public double adamBeta1 = 0.9;
    public double adamBeta2 = 0.999;
    public double adamEpsilon = 1e-8;
    public double maxGradNorm = 1.0;
    public String lrSchedulerType = "linear";
    public int warmupSteps = 0;
    public double warmupRatio = 0.0;
    public int gradientAccumulationSteps = 1;
    public IntervalStrategy evalStrategy = IntervalStrategy.NO;
    public double evalSteps = 0; // 0: logging_steps, as transformers
    public IntervalStrategy saveStrategy = IntervalStrategy.STEPS;
    public double saveSteps = 500;
    public IntervalStrategy loggingStrategy = IntervalStrategy.STEPS;
    public double loggingSteps = 500;
    public Integer saveTotalLimit = null;
    public boolean loadBestModelAtEnd = false;
    public String metricForBestModel = null;
    public Boolean greaterIsBetter = null;
    public long seed = 42;
    public boolean fp16 = false;
    public boolean bf16 = false;
    public boolean useCpu = false;
    public boolean dataloaderDropLast = false;
    public List<String> reportTo = List.of("none");
    public boolean disableTqdm = false;
    public boolean overwriteOutputDir = false;

    /** Arguments from a map with snake_case or camelCase keys; an unknown key is an error listing the known. */
    public static TrainingArguments of(Map<String, ?> values) {
        TrainingArguments args = new TrainingArguments();
        Kwargs.of(values).remaining().forEach(args::set);
        args.validate();
        return args;
    }

    /** Sets one argument by its snake_case or camelCase name (strategies by name: "no", "steps", "epoch"). */
    public TrainingArguments set(String key, Object value) {
        String snake = Kwargs.snakeCase(key);
        if (snake.equals("evaluation_strategy")) {
            snake = "eval_strategy"; // the older name transformers still accepts
        }
        Field field = fields().get(snake);
        if (field == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no argument '" + key + "'."
                    + dev.javaformers.util.Names.didYouMean(List.of(snake), fields().keySet()) + " Known: "
                    + new TreeSet<>(fields().keySet()));
        }
        try {
            field.set(this, convert(field, value, snake));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    private static String expected(Class<?> type) {
        if (type == IntervalStrategy.class) {
            return "no, steps or epoch";
        } else if (type == int.class || type == Integer.class || type == long.class) {
            return "a whole number";
        } else if (type == double.class) {
            return "a number";
        }
        return type == boolean.class || type == Boolean.class ? "true or false" : "text";
    }

    private static Object convert(Field field, Object value, String name) {
        Class<?> type = field.getType();
        try {
            if (type == IntervalStrategy.class) {
                return IntervalStrategy.valueOf(value.toString().toUpperCase(Locale.ROOT));
            } else if (type == int.class || type == Integer.class) {
                return value == null ? null : value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
            } else if (type == long.class) {
                return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
            } else if (type == double.class) {
                return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
            } else if (type == boolean.class || type == Boolean.class) {
                return value == null ? null : value instanceof Boolean b ? b : Kwargs.isTruthy(value.toString());
            } else if (type == List.class) {
                return value instanceof List<?> l ? List.copyOf(l.stream().map(Object::toString).toList())
                        : List.of(value.toString());
            }
            return value == null ? null : value.toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TrainingArguments." + name + " cannot be '" + value + "' (expected "
                    + expected(type) + ")", e);
        }
    }

    /** Refuses contradictory settings, in transformers' words. */
    public TrainingArguments validate() {
        if (lrSchedulerType == null || !List.of("linear", "cosine", "constant", "constant_with_warmup")
                .contains(lrSchedulerType)) {
            throw new IllegalArgumentException("lr_scheduler_type '" + lrSchedulerType + "' is not supported: use "
                    + "linear, cosine, constant or constant_with_warmup");
        }
        if (warmupRatio < 0 || warmupRatio > 1) {
            throw new IllegalArgumentException("warmup_ratio must lie in range [0,1]");
        }
        if (gradientAccumulationSteps < 1 || perDeviceTrainBatchSize < 1 || perDeviceEvalBatchSize < 1) {
            throw new IllegalArgumentException("batch sizes and gradient_accumulation_steps must be at least 1");
        }
        if (loadBestModelAtEnd) {
            if (evalStrategy != saveStrategy) {
                throw new IllegalArgumentException("--load_best_model_at_end requires the save and eval strategy to "
                        + "match, but found\n- Evaluation strategy: " + evalStrategy.name().toLowerCase(Locale.ROOT)
                        + "\n- Save strategy: " + saveStrategy.name().toLowerCase(Locale.ROOT));
            }
            if (evalStrategy == IntervalStrategy.STEPS && saveSteps % evalSteps() != 0) {
                throw new IllegalArgumentException("--load_best_model_at_end requires the saving steps to be a "
                        + "multiple of the evaluation steps, which cannot get guaranteed when mixing ratio and "
                        + "absolute steps for save_steps " + saveSteps + " and eval_steps " + evalSteps() + ".");
            }
            if (evalStrategy == IntervalStrategy.NO) {
                throw new IllegalArgumentException("--load_best_model_at_end requires an eval strategy other than no");
            }
        }
        if (evalStrategy == IntervalStrategy.STEPS && evalSteps() <= 0) {
            throw new IllegalArgumentException("evaluation strategy steps requires either a non-zero --eval_steps or "
                    + "--logging_steps");
        }
        if ((fp16 || bf16) && useCpu) {
            throw new IllegalArgumentException((fp16 ? "fp16" : "bf16") + " mixed precision requires a GPU; it cannot "
                    + "be used with use_cpu");
        }
        if (fp16 && bf16) {
            throw new IllegalArgumentException("At most one of fp16 and bf16 can be True");
        }
        if (fp16 || bf16) {
            throw new UnsupportedOperationException((fp16 ? "fp16" : "bf16") + " mixed precision is not implemented "
                    + "yet (it needs a GPU to be verified); train in float32");
        }
        return this;
    }

    /** The metric that picks the best checkpoint: metric_for_best_model, or "loss" when loading the best. */
    public String bestMetric() {
        String m = metricForBestModel != null ? metricForBestModel : loadBestModelAtEnd ? "loss" : null;
        return m == null ? null : m.startsWith("eval_") ? m : "eval_" + m;
    }

    /** greater_is_better, defaulting as transformers: false for loss-like metrics, true otherwise. */
    public boolean greaterIsBetter() {
        if (greaterIsBetter != null) {
            return greaterIsBetter;
        }
        String m = bestMetric();
        return m != null && !m.endsWith("loss");
    }

    public double evalSteps() {
        return evalSteps > 0 ? evalSteps : loggingSteps;
    }

    public Path outputPath() {
        return Path.of(outputDir);
    }

    /** The arguments as JSON, saved as training_args.json in each checkpoint. */
    public ObjectNode toJson() {
        ObjectNode out = PyJson.MAPPER.createObjectNode();
        fields().forEach((name, field) -> {
            try {
                Object v = field.get(this);
                out.set(name, PyJson.MAPPER.valueToTree(v instanceof IntervalStrategy s
                        ? s.name().toLowerCase(Locale.ROOT) : v));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + PyJson.dumps(toJson(), true);
    }

    /** The arguments of each arguments class (Seq2SeqTrainingArguments adds its own), by snake_case name. */
    private static final ClassValue<Map<String, Field>> FIELDS_OF = new ClassValue<>() {
        @Override
        protected Map<String, Field> computeValue(Class<?> type) {
            Map<String, Field> fields = new java.util.TreeMap<>();
            for (Field f : type.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.put(Kwargs.snakeCase(f.getName()), f);
                }
            }
            return fields;
        }
    };

    /** The argument names (snake_case) this class takes, sorted. */
    public java.util.Set<String> argumentNames() {
        return java.util.Collections.unmodifiableSet(fields().keySet());
    }

    private Map<String, Field> fields() {
        return FIELDS_OF.get(getClass());
    }
}
