package dev.javaformers.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A building block of a model, as {@code torch.nn.Module}: named parameters, named child modules, and a training
 * flag that dropout reads. Subclasses register what they own in their constructors, in the order transformers does.
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training;

    /** Registers a child; its parameters are named {@code name.<its names>}. */
    protected <M extends Module> M register(String name, M child) {
        children.put(name, child);
        return child;
    }

    /** Registers an existing parameter under a second name: the two are tied. */
    protected Parameter register(String name, Parameter parameter) {
        parameters.put(name, parameter);
        return parameter;
    }

    /** Every parameter under its dotted name; a tied parameter appears under each of its names. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, child) -> child.collect(prefix + name + ".", out));
    }

    /** This module (under "") and every module below it under its dotted name, as torch's named_modules. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String name, Map<String, Module> out) {
        out.put(name, this);
        children.forEach((child, m) -> m.collectModules(name.isEmpty() ? child : name + "." + child, out));
    }

    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Training mode: dropout is active. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Evaluation mode: dropout is off, outputs are deterministic. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(c -> c.setTraining(on));
    }

    public boolean isTraining() {
        return training;
    }

    /** The number of distinct parameter values (tied parameters count once). */
    public long numParameters() {
        return namedParameters().values().stream().distinct().mapToLong(p -> p.array().size()).sum();
    }
}
