{{/* Name prefix of every object: the release name, unless it already contains "vexil". */}}
{{- define "vexil.fullname" -}}
{{- if contains "vexil" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-vexil" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "vexil.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "vexil.labels" -}}
app.kubernetes.io/name: vexil
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: vexil
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "evaluator"). */}}
{{- define "vexil.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "vexil.evaluatorNamespace" -}}
{{ .Values.evaluator.namespace | default .Release.Namespace }}
{{- end -}}

{{/* Pod-level settings shared by both Deployments. */}}
{{- define "vexil.podSpec" -}}
{{- with .root.Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The event store URL from its Secret, as $(VEXIL_EVENTS_DATABASE) for the args. */}}
{{- define "vexil.eventsEnv" -}}
{{- if .Values.events.database.secretName }}
- name: VEXIL_EVENTS_DATABASE
  valueFrom:
    secretKeyRef:
      name: {{ .Values.events.database.secretName }}
      key: {{ .Values.events.database.secretKey }}
{{- end }}
{{- end -}}

{{/* Egress both components need: the API server, DNS and, when configured, the event store. */}}
{{- define "vexil.commonEgress" -}}
# the API server (watches, leases, status) and cluster DNS
- ports:
    {{- range .Values.networkPolicy.apiServerPorts }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
- ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- if .Values.events.database.secretName }}
# the PostgreSQL event store
- ports:
    - protocol: TCP
      port: {{ .Values.networkPolicy.eventStorePort }}
{{- end }}
{{- end }}
