using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Manifests;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// knative/serving <c>RevisionTemplateSpec.VerifyNameChange</c>: a template that brings its own revision name must change
/// that name whenever anything else in it changes (revisions are immutable). The diff is rendered like knative's
/// <c>kmp.ShortDiff</c>: one block per changed leaf, <c>{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:</c>
/// then <c>\t-: "old"</c> and <c>\t+: "new"</c>.
/// </summary>
public static class TemplateNameChange
{
    /// <summary>The message of the refusal.</summary>
    public const string Message = "Saw the following changes without a name change (-old +new)";

    // RevisionSpec inlines corev1.PodSpec: these JSON fields live under "PodSpec" in Go's field path.
    private static readonly HashSet<string> PodSpecFields = new(StringComparer.Ordinal)
    {
        "containers", "initContainers", "volumes", "serviceAccountName", "enableServiceLinks", "imagePullSecrets", "affinity",
        "nodeSelector", "tolerations", "securityContext", "runtimeClassName", "priorityClassName", "schedulerName",
        "automountServiceAccountToken", "dnsPolicy", "dnsConfig", "hostAliases", "topologySpreadConstraints",
    };

    // Go maps: their keys print as ["key"], not as fields.
    private static readonly HashSet<string> MapFields = new(StringComparer.Ordinal) { "Labels", "Annotations", "NodeSelector", "Limits", "Requests" };

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The error (path <c>metadata.name</c>, relative to the template) when <paramref name="current"/> keeps a non-empty
    /// BYO name of <paramref name="old"/> but differs from it; none otherwise. Both templates should be defaulted.
    /// </summary>
    public static FieldErrors Verify(RevisionTemplateSpec? old, RevisionTemplateSpec? current)
    {
        var name = current?.Metadata?.Name ?? "";
        if (name.Length == 0 || name != (old?.Metadata?.Name ?? ""))
        {
            return FieldErrors.None;
        }

        var diff = Diff(old, current);
        return diff.Length == 0 ? FieldErrors.None : FieldErrors.Of(Message, diff, "metadata.name");
    }

    /// <summary>The short diff of two templates (empty when they are equal).</summary>
    public static string Diff(RevisionTemplateSpec? old, RevisionTemplateSpec? current)
    {
        var builder = new StringBuilder();
        Walk(JsonSerializer.SerializeToNode(old, ManifestSerializer.JsonOptions), JsonSerializer.SerializeToNode(current, ManifestSerializer.JsonOptions),
            "{*v1.RevisionTemplateSpec}", builder, inRevisionSpec: false);
        return builder.ToString().TrimEnd('\n');
    }

    private static void Walk(JsonNode? a, JsonNode? b, string path, StringBuilder diff, bool inRevisionSpec)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return;
        }

        if ((a is JsonObject || b is JsonObject) && a is JsonObject or null && b is JsonObject or null)
        {
            var oa = a as JsonObject ?? [];
            var ob = b as JsonObject ?? [];
            var isMap = MapFields.Contains(path[(path.LastIndexOf('.') + 1)..]);
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                var field = isMap ? "[" + JsonSerializer.Serialize(key, Relaxed) + "]"
                    : "." + (inRevisionSpec && PodSpecFields.Contains(key) ? "PodSpec." + GoName(key) : GoName(key));
                Walk(oa[key], ob[key], path + field, diff, inRevisionSpec: path.EndsWith('}') && key == "spec");
            }

            return;
        }

        if (a is JsonArray xa && b is JsonArray xb)
        {
            for (var i = 0; i < Math.Max(xa.Count, xb.Count); i++)
            {
                Walk(i < xa.Count ? xa[i] : null, i < xb.Count ? xb[i] : null,
                    path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", diff, inRevisionSpec: false);
            }

            return;
        }

        diff.Append(path).Append(":\n\t-: ").Append(Quote(a)).Append("\n\t+: ").Append(Quote(b)).Append('\n');
    }

    private static string GoName(string jsonName) => jsonName.Length == 0 ? jsonName : char.ToUpperInvariant(jsonName[0]) + jsonName[1..];

    private static string Quote(JsonNode? node) => node switch
    {
        null => "\"\"",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>(), Relaxed),
        _ => JsonSerializer.Serialize(node.ToJsonString(), Relaxed),
    };
}
