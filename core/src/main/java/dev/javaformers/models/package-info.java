/** Model architectures, one package each, holding its config and (later) its modeling, as in transformers. */
package dev.javaformers.models;
