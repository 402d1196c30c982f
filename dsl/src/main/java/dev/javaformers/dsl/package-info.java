/**
 * The Groovy DSL ({@code model 'name' { heads 12 }}, {@code train { epochs 3 }}, {@code plot loss}) and its script
 * runner: a thin layer over the Java core, with no logic the core lacks.
 */
package dev.javaformers.dsl;
