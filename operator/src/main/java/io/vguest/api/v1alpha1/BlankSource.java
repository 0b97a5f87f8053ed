package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;

/** An empty volume vguest creates for the disk. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BlankSource {

  @JsonPropertyDescription("libvirt storage pool to create the volume in; must be allowed on the node.")
  @Required
  @Pattern(Patterns.POOL_OBJECT_NAME)
  @Size(max = Patterns.POOL_OBJECT_NAME_MAX)
  public String pool;

  @JsonPropertyDescription("Size as a Kubernetes quantity (e.g. 10Gi), from 1Mi to 64Ti.")
  @Required
  public Quantity size;
}
