{{/* The release's prefix for every object: <release>-tally, or fullnameOverride. */}}
{{- define "tally.fullname" -}}
{{- default (printf "%s-tally" .Release.Name) .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "tally.labels" -}}
app.kubernetes.io/part-of: tally
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service: (dict "root" $ "name" "ledger"). */}}
{{- define "tally.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "tally.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{- define "tally.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tally.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/*
A role's connection: DATABASE_URL (and PGPASSWORD from its basic-auth Secret, so the password never
sits in a URL), or the URL from a Secret. (dict "root" $ "var" "DATABASE_URL" "role" "tally_ledger"
"passwordSecret" "tally-db-ledger" "urlSecret" (dict "name" .. "key" ..)), "noPassword" true: the
URL alone (a second variable for the same role).
*/}}
{{- define "tally.databaseEnv" -}}
{{- $db := .root.Values.database -}}
{{- if and .urlSecret .urlSecret.name }}
- name: {{ .var }}
  valueFrom:
    secretKeyRef: { name: {{ .urlSecret.name | quote }}, key: {{ default "DATABASE_URL" .urlSecret.key | quote }} }
{{- else }}
- name: {{ .var }}
  value: {{ printf "postgres://%s@%s:%v/%s?sslmode=%s" .role $db.host $db.port $db.name $db.sslmode | quote }}
{{- if not .noPassword }}
# node-postgres reads the password from PGPASSWORD when the URL has none.
- name: PGPASSWORD
  valueFrom:
    secretKeyRef: { name: {{ .passwordSecret | quote }}, key: password }
{{- end }}
{{- end }}
{{- end -}}

{{/* The service's Kafka principal, when SASL is on. */}}
{{- define "tally.kafkaEnv" -}}
{{- $sasl := .root.Values.kafka.sasl -}}
- name: KAFKA_BROKERS
  value: {{ .root.Values.kafka.brokers | quote }}
{{- if $sasl.enabled }}
- name: {{ $sasl.env.mechanism }}
  value: {{ $sasl.mechanism | quote }}
- name: {{ $sasl.env.username }}
  value: {{ printf "%s%s" $sasl.usernamePrefix .name | quote }}
- name: {{ $sasl.env.password }}
  valueFrom:
    secretKeyRef: { name: {{ printf "%s%s" $sasl.passwordSecretPrefix .name | quote }}, key: {{ $sasl.passwordKey | quote }} }
{{- end }}
{{- end -}}
