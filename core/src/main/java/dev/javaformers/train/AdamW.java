package dev.javaformers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.NormalizationLayer;
import dev.javaformers.nn.Parameter;
import dev.javaformers.weights.HostTensor;
import dev.javaformers.weights.StateDict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}. As transformers'
 * Trainer, parameters whose name contains "bias" and those of normalisation layers ({@link NormalizationLayer}:
 * BERT's LayerNorm, GPT-2's ln_1, T5's layer_norm, Llama's RMSNorm) get no weight decay. Its state (the two
 * moments and the step) saves to and loads from a state dict.
 */
public final class AdamW {

    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<Parameter, NDArray[]> moments = new IdentityHashMap<>();
    private final Map<Parameter, Boolean> decays = new IdentityHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long step;

    /** Optimises every parameter of {@code model}; tied ones are updated once, under their first name. */
    public AdamW(Module model, double beta1, double beta2, double eps, double weightDecay) {
        Set<String> normalized = new HashSet<>();
        model.namedModules().forEach((prefix, m) -> {
            if (m instanceof NormalizationLayer) {
                m.namedParameters().keySet().forEach(n -> normalized.add(prefix.isEmpty() ? n : prefix + "." + n));
            }
        });
        model.namedParameters().forEach((name, p) -> {
            if (!decays.containsKey(p)) {
                params.put(name, p);
                decays.put(p, !name.contains("bias") && !normalized.contains(name));
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

    /**
     * One update with learning rate {@code lr} from the parameters' gradients, as {@code torch.optim.AdamW}'s
     * single-tensor step. The operations are in place but one, and each gradient is the scratch space (it holds
     * garbage afterwards; {@link #zeroGrad()} follows every step): a temporary the size of a parameter costs a
     * fresh allocation, and past glibc's 32 MB mmap limit (a word embedding) every page of it faults in anew,
     * which made this step 5 times slower.
     */
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
                m[0].muli(beta1).addi(grad.muli(1 - beta1)); // grad is now (1 - beta1) g
                // ((1 - beta1) g)^2 scaled to (1 - beta2) g^2
                m[1].muli(beta2).addi(grad.muli(grad).muli((1 - beta2) / ((1 - beta1) * (1 - beta1))));
                // sqrt(v) / sqrt(bias2) + eps, as torch: the one temporary (DJL has no in-place sqrt, and an
                // in-place pow with a tensor exponent runs 5 times slower than sqrt); then m / denominator in grad
                try (NDArray denom = m[1].sqrt()) {
                    denom.divi(Math.sqrt(bias2)).addi(eps);
                    w.subi(grad.muli(0).addi(m[0]).divi(denom).muli(lr / bias1));
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
            // a norm, not square().sum(): no temporary the size of the gradient (see step); the global norm is
            // the norm of the per-parameter norms, as torch's clip_grad_norm_
            try (NDArray grad = e.getValue().array().getGradient(); NDArray norm = grad.norm();
                    NDArray wide = norm.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)) {
                double part = wide.getDouble();
                part *= part;
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
