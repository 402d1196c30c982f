package dev.javaformers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.nn.Parameter;
import dev.javaformers.weights.HostTensor;
import dev.javaformers.weights.StateDict;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}. Following
 * transformers, biases and LayerNorm weights get no weight decay. Its state (the two moments and the step)
 * saves to and loads from a state dict.
 */
public final class AdamW {

    private static final Pattern NO_DECAY = Pattern.compile("(^|\\.)bias$|LayerNorm\\.weight$|layer_norm\\.weight$"
            + "|_layer_norm\\.weight$|norm\\.weight$");

    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<Parameter, NDArray[]> moments = new IdentityHashMap<>();
    private final Map<Parameter, Boolean> decays = new IdentityHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long step;

    /** {@code named} are the model's parameters; tied ones are updated once. */
    public AdamW(Map<String, Parameter> named, double beta1, double beta2, double eps, double weightDecay) {
        named.forEach((name, p) -> {
            if (!decays.containsKey(p)) {
                params.put(name, p);
                decays.put(p, !NO_DECAY.matcher(name).find());
            }
        });
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** Names of the parameters that receive weight decay (for tests and the curious). */
    public List<String> decayed() {
        List<String> out = new ArrayList<>();
        params.forEach((name, p) -> {
            if (decays.get(p)) {
                out.add(name);
            }
        });
        return out;
    }

    /** One update with learning rate {@code lr} from the parameters' gradients. */
    public void step(double lr) {
        step++;
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2 = 1 - Math.pow(beta2, step);
        for (var e : params.entrySet()) {
            Parameter p = e.getValue();
            NDArray w = p.array();
            try (NDArray grad = w.getGradient()) {
                NDArray[] m = moments.computeIfAbsent(p, k -> new NDArray[] {w.zerosLike(), w.zerosLike()});
                if (decays.get(p) && weightDecay > 0) {
                    w.muli(1 - lr * weightDecay);
                }
                // every temporary is closed here: they live in the model's manager, which outlives the run
                try (NDArray g1 = grad.mul(1 - beta1); NDArray g2 = grad.square()) {
                    m[0].muli(beta1).addi(g1);
                    m[1].muli(beta2).addi(g2.muli(1 - beta2));
                }
                try (NDArray v = m[1].div(bias2); NDArray denom = v.sqrt(); NDArray update = m[0].div(denom.addi(eps))) {
                    w.subi(update.muli(lr / bias1));
                }
            }
        }
    }

    private String nonFinite;

    /** The first parameter whose gradient was NaN or infinite at the last {@link #clipGradNorm}, or null. */
    public String nonFiniteGradient() {
        return nonFinite;
    }

    /** The number of updates made so far. */
    public long steps() {
        return step;
    }

    /** Sets every gradient to zero (PyTorch adds gradients up until they are zeroed). */
    public void zeroGrad() {
        for (Parameter p : params.values()) {
            try (NDArray grad = p.array().getGradient()) {
                grad.muli(0);
            }
        }
    }

    /** Scales gradients so their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    public double clipGradNorm(double maxNorm) {
        double sum = 0;
        nonFinite = null;
        for (var e : params.entrySet()) {
            try (NDArray grad = e.getValue().array().getGradient(); NDArray squares = grad.square();
                    NDArray sq = squares.sum(); NDArray wide = sq.toType(ai.djl.ndarray.types.DataType.FLOAT64, true)) {
                double part = wide.getDouble();
                if (!Double.isFinite(part) && nonFinite == null) {
                    nonFinite = e.getKey();
                }
                sum += part;
            }
        }
        double norm = Math.sqrt(sum);
        if (maxNorm > 0 && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            for (Parameter p : params.values()) {
                try (NDArray grad = p.array().getGradient()) {
                    grad.muli(scale);
                }
            }
        }
        return norm;
    }

    /** The moments as a state dict: {@code <name>.exp_avg}, {@code <name>.exp_avg_sq}. */
    public StateDict stateDict() {
        StateDict dict = new StateDict();
        params.forEach((name, p) -> {
            NDArray[] m = moments.get(p);
            if (m != null) {
                dict.put(name + ".exp_avg", HostTensor.of(m[0]));
                dict.put(name + ".exp_avg_sq", HostTensor.of(m[1]));
            }
        });
        dict.metadata().put("step", Long.toString(step));
        return dict;
    }

    /** Restores the moments and step saved by {@link #stateDict()}. */
    public void loadStateDict(StateDict dict, NDManager manager) {
        step = Long.parseLong(dict.metadata().getOrDefault("step", "0"));
        params.forEach((name, p) -> {
            if (dict.contains(name + ".exp_avg")) {
                NDArray[] old = moments.put(p, new NDArray[] {dict.get(name + ".exp_avg").toNDArray(manager),
                        dict.get(name + ".exp_avg_sq").toNDArray(manager)});
                if (old != null) {
                    old[0].close();
                    old[1].close();
                }
            }
        });
    }
}
