/**
 * A small module system over DJL NDArrays, in the manner of {@code torch.nn}: modules own named parameters and
 * named children, so a model's parameter names are exactly the HuggingFace names
 * ({@code encoder.layer.0.attention.self.query.weight}) and loading is a name-for-name match. DJL's own
 * {@code Block}s renumber their children ({@code 01Linear}) and infer shapes at initialisation, which would
 * put a translation table between every checkpoint and every model.
 */
package dev.javaformers.nn;
