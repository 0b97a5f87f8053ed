package io.vguest.guest;

/** A manifest that cannot be read; the message is {@code file: field: message}. */
public class ManifestException extends RuntimeException {

  private final String file;
  private final String field;
  private final String detail;

  public ManifestException(String file, String field, String detail) {
    this(file, field, detail, null);
  }

  public ManifestException(String file, String field, String detail, Throwable cause) {
    super(file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + detail, cause);
    this.file = file;
    this.field = field;
    this.detail = detail;
  }

  public String file() {
    return file;
  }

  /** The field path ({@code spec.disks[0].bus}); empty when the problem is the document as a whole. */
  public String field() {
    return field;
  }

  public String detail() {
    return detail;
  }
}
