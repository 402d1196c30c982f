package dev.javaformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.norm.Dropout;

/** The layers transformer models are made of, with transformers' initialisation. */
public final class Layers {

    private Layers() {}

    /** {@code y = x W^T + b}; weight [out, in] drawn from N(0, std), bias zero. */
    public static final class Linear extends Module {
        public final Parameter weight;
        public final Parameter bias;

        public Linear(NDManager manager, int in, int out, double std) {
            this(manager, in, out, std, true);
        }

        public Linear(NDManager manager, int in, int out, double std, boolean withBias) {
            weight = register("weight", normal(manager, new Shape(out, in), std));
            bias = withBias ? register("bias", filled(manager, new Shape(out), 0f)) : null;
        }

        public NDArray forward(NDArray x) {
            return bias == null ? ai.djl.nn.core.Linear.linear(x, weight.array()).singletonOrThrow()
                    : ai.djl.nn.core.Linear.linear(x, weight.array(), bias.array()).singletonOrThrow();
        }
    }

    /** Layer normalisation over the last dimension; weight one, bias zero. */
    public static final class LayerNorm extends Module implements NormalizationLayer {
        public final Parameter weight;
        public final Parameter bias;
        private final float eps;
        private final Shape normalized;

        public LayerNorm(NDManager manager, int dim, double eps) {
            weight = register("weight", filled(manager, new Shape(dim), 1f));
            bias = register("bias", filled(manager, new Shape(dim), 0f));
            this.eps = (float) eps;
            this.normalized = new Shape(dim);
        }

        /** The epsilon added to the variance. */
        public float eps() {
            return eps;
        }

        public NDArray forward(NDArray x) {
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight.array(), bias.array(), eps)
                    .singletonOrThrow();
        }
    }

    /** A lookup table [count, dim] drawn from N(0, std), with the padding row zero. */
    public static final class Embedding extends Module {
        public final Parameter weight;

        public Embedding(NDManager manager, int count, int dim, double std, Integer paddingIdx) {
            this(manager, count, dim, () -> normal(manager, count, dim, std, paddingIdx));
        }

        /** An embedding whose starting table comes from {@code initializer} (e.g. sinusoidal positions). */
        public Embedding(NDManager manager, int count, int dim, java.util.function.Supplier<NDArray> initializer) {
            weight = register("weight", new Parameter(initializer, () -> manager.create(new Shape(count, dim))));
        }

        private static NDArray normal(NDManager manager, int count, int dim, double std, Integer paddingIdx) {
            NDArray w = manager.randomNormal(0f, (float) std, new Shape(count, dim), DataType.FLOAT32);
            if (paddingIdx != null && paddingIdx >= 0 && paddingIdx < count) {
                w.set(new ai.djl.ndarray.index.NDIndex(paddingIdx), 0f);
            }
            return w;
        }

        public NDArray forward(NDArray ids) {
            return ai.djl.nn.core.Embedding.embedding(ids, weight.array(), SparseFormat.DENSE).singletonOrThrow();
        }
    }

    /** Children named 0, 1, 2, ... as {@code torch.nn.ModuleList}. */
    public static final class ModuleList<M extends Module> extends Module {
        private final java.util.List<M> items = new java.util.ArrayList<>();

        public M add(M module) {
            register(Integer.toString(items.size()), module);
            items.add(module);
            return module;
        }

        public java.util.List<M> items() {
            return java.util.Collections.unmodifiableList(items);
        }
    }

    /** A parameter drawn from N(0, std), as transformers initialises Linear weights. */
    public static Parameter normal(NDManager manager, Shape shape, double std) {
        return new Parameter(() -> manager.randomNormal(0f, (float) std, shape, DataType.FLOAT32),
                () -> manager.create(shape));
    }

    /** A parameter filled with {@code value} (LayerNorm weights 1, biases 0). */
    public static Parameter filled(NDManager manager, Shape shape, float value) {
        return new Parameter(() -> value == 0f ? manager.zeros(shape) : manager.full(shape, value),
                () -> manager.create(shape));
    }

    /** A module that only groups others under a name ({@code cls.predictions}), with public registration. */
    public static final class Container extends Module {
        public <M extends Module> M add(String name, M child) {
            return register(name, child);
        }

        public Parameter add(String name, Parameter parameter) {
            return register(name, parameter);
        }
    }

    /**
     * {@code x @ weight.T}, the head tied to an embedding matrix. The transposed view is made to belong to
     * {@code x}'s manager: left on the weight's (the model's), one handle per call would live as long as the model.
     */
    public static NDArray matMulTransposed(NDArray x, NDArray weight) {
        NDArray transposed = weight.transpose();
        transposed.attach(x.getManager());
        return x.matMul(transposed);
    }

    /** Dropout that is active only in training mode. */
    public static NDArray dropout(NDArray x, double rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
    }

    /** The activation a config names ({@code hidden_act}): gelu (erf), relu, tanh, gelu_new, silu. */
    public static NDArray activation(String name, NDArray x) {
        return switch (name) {
            case "gelu" -> ai.djl.nn.Activation.gelu(x);
            case "relu" -> ai.djl.nn.Activation.relu(x);
            case "tanh" -> x.tanh();
            case "silu", "swish" -> x.mul(ai.djl.nn.Activation.sigmoid(x));
            case "gelu_new", "gelu_pytorch_tanh" -> Tensors.mul(x, 0.5).mul(Tensors.mul(x.add(Tensors.mul(
                    Tensors.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI)).tanh().add(1));
            default -> throw new IllegalArgumentException("Unsupported activation '" + name
                    + "'; supported: gelu, relu, tanh, silu, gelu_new");
        };
    }
}
