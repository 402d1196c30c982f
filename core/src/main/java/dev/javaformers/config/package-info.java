/**
 * Model configurations as transformers has them: {@link dev.javaformers.config.PretrainedConfig} with the common
 * fields, one subclass per architecture (in {@code dev.javaformers.models.<arch>}), and
 * {@link dev.javaformers.config.AutoConfig}, which reads a {@code config.json} from a folder or the Hub and
 * picks the class from its {@code model_type}. The architectures are found through the
 * {@link dev.javaformers.config.ConfigType} service, so this package imports none of them.
 */
package dev.javaformers.config;
