{{/* Chart name, shortened to the 63 characters a label value may have. */}}
{{- define "vguest.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base name of the release's objects. */}}
{{- define "vguest.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "vguest.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vguest.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: node-agent
{{- end }}

{{- define "vguest.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "vguest.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vguest
{{- end }}

{{- define "vguest.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "vguest.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the identity seed: the admin's own, or the one this chart keeps. */}}
{{- define "vguest.seedSecretName" -}}
{{- default (printf "%s-identity" (include "vguest.fullname" .)) .Values.identity.existingSecret }}
{{- end }}

{{- define "vguest.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* poolGrants as the agent's --pool-grants takes them: tenant-a=team-a;shared=team-a,team-b */}}
{{- define "vguest.poolGrants" -}}
{{- $entries := list }}
{{- range $pool, $namespaces := .Values.poolGrants }}
{{- $entries = append $entries (printf "%s=%s" $pool (join "," $namespaces)) }}
{{- end }}
{{- join ";" $entries }}
{{- end }}

{{/* allowedPools as a CEL list of strings, e.g. ['default'] */}}
{{- define "vguest.allowedPoolsCel" -}}
{{- $quoted := list }}
{{- range .Values.allowedPools }}
{{- $quoted = append $quoted (printf "'%s'" .) }}
{{- end }}
{{- printf "[%s]" (join ", " $quoted) }}
{{- end }}

{{/* poolGrants as a CEL map from pool to namespaces, e.g. {'tenant-a': ['team-a']} */}}
{{- define "vguest.poolGrantsCel" -}}
{{- $entries := list }}
{{- range $pool, $namespaces := .Values.poolGrants }}
{{- $quoted := list }}
{{- range $namespaces }}
{{- $quoted = append $quoted (printf "'%s'" .) }}
{{- end }}
{{- $entries = append $entries (printf "'%s': [%s]" $pool (join ", " $quoted)) }}
{{- end }}
{{- printf "{%s}" (join ", " $entries) }}
{{- end }}
