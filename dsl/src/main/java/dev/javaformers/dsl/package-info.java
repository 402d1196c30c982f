/** The Groovy DSL ({@code model 'bert-base-cased' < heads 12 >}) and the script runner: a thin layer over core. */
package dev.javaformers.dsl;
