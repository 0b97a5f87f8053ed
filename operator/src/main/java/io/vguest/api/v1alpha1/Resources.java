package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;

/** CPU and memory of a guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Resources {
  public static final int MAX_CPUS = 256;

  @JsonPropertyDescription("Number of virtual CPUs, 1 to 256. Changes apply at the next stop.")
  @Required
  @Min(1)
  @Max(MAX_CPUS)
  public Integer cpus;

  @JsonPropertyDescription("Memory as a Kubernetes quantity (e.g. 2Gi), from 16Mi to 4Ti. Changes apply at the next stop.")
  @Required
  public Quantity memory;
}
