using System.Text.Json;
using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

/// <summary>Volumes and volume mounts with Knative's messages (k8s_validation.go), as the Kubernetes runtime validates them.</summary>
public sealed class VolumeValidationTests
{
    private const string S = "spec.template.spec";

    private static Volume Secret(string name) => new() { Name = name, Secret = new SecretVolumeSource { SecretName = "s" } };

    private static VolumeMount Mount(string name, string path, bool? readOnly = null) => new() { Name = name, MountPath = path, ReadOnly = readOnly };

    private static Service With(List<Volume> volumes, params VolumeMount[] mounts) =>
        Valid.WithSpec(s => s with { Volumes = volumes }).WithContainer(c => c with { VolumeMounts = [.. mounts] });

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static TheoryData<string, Service, string> Cases => new()
    {
        { "duplicate volume name", With([Secret("a"), Secret("a")], Mount("a", "/a")), $"duplicate volume name \"a\": {S}.volumes[1].name" },
        { "volume not mounted", With([Secret("a"), Secret("b")], Mount("a", "/a")), $"volume with name \"b\" not mounted: {S}.volumes[1].name" },
        { "mount of a missing volume", With([Secret("a")], Mount("a", "/a"), Mount("nope", "/b")), $"volumeMount has no matching volume: {S}.containers[0].volumeMounts[1].name" },
        { "relative mount path", With([Secret("a")], Mount("a", "data")), $"invalid value: data: {S}.containers[0].volumeMounts[0].mountPath" },
        { "no mount path", With([Secret("a")], Mount("a", "")), $"missing field(s): {S}.containers[0].volumeMounts[0].mountPath" },
        {
            "mount path twice", With([Secret("a"), Secret("b")], Mount("a", "/data"), Mount("b", "/data/")),
            $"invalid value: \"/data/\" must be unique: {S}.containers[0].volumeMounts[1].mountPath"
        },
        { "reserved mount path", With([Secret("a")], Mount("a", "/dev/")), $"mountPath \"/dev\" is a reserved path: {S}.containers[0].volumeMounts[0].mountPath" },
        {
            "no source", With([new Volume { Name = "a" }], Mount("a", "/a")),
            $"expected exactly one, got neither: {S}.volumes[0].configMap, {S}.volumes[0].emptyDir, {S}.volumes[0].projected, {S}.volumes[0].secret"
        },
        {
            "two sources", With([new Volume { Name = "a", Secret = new() { SecretName = "s" }, EmptyDir = new() }], Mount("a", "/a")),
            $"expected exactly one, got both: {S}.volumes[0].emptyDir, {S}.volumes[0].secret"
        },
        {
            "persistentVolumeClaim (feature off)", With([new Volume { Name = "a", PersistentVolumeClaim = new() { ClaimName = "c" } }], Mount("a", "/a")),
            $"must not set the field(s): {S}.volumes[0].persistentVolumeClaim"
        },
        {
            "hostPath", With([new Volume { Name = "a", OtherFields = new() { ["hostPath"] = Json("""{"path": "/etc"}""") } }], Mount("a", "/a")),
            $"expected exactly one, got neither: {S}.volumes[0].configMap, {S}.volumes[0].emptyDir, {S}.volumes[0].projected, {S}.volumes[0].secret\n"
                + $"must not set the field(s): {S}.volumes[0].hostPath"
        },
        {
            "read-write secret mount", With([Secret("a")], Mount("a", "/a", readOnly: false)),
            $"volume mount should be readOnly for this type of volume: {S}.containers[0].volumeMounts[0].readOnly"
        },
        { "invalid volume name", With([Secret("A_b")], Mount("A_b", "/a")), $"invalid value: A_b: {S}.volumes[0].name" },
        {
            "item without key or path", With([new Volume { Name = "a", ConfigMap = new() { Name = "c", Items = [new KeyToPath()] } }], Mount("a", "/a")),
            $"missing field(s): {S}.volumes[0].configMap.items[0].key, {S}.volumes[0].configMap.items[0].path"
        },
        {
            "projection of a token", With([new Volume { Name = "a", Projected = new() { Sources = [new() { OtherFields = new() { ["serviceAccountToken"] = Json("""{"path": "t"}""") } }] } }], Mount("a", "/a")),
            $"expected exactly one, got neither: {S}.volumes[0].projected[0].configMap, {S}.volumes[0].projected[0].secret\n"
                + $"must not set the field(s): {S}.volumes[0].projected[0].serviceAccountToken"
        },
        {
            "mountPropagation", With([Secret("a")], Mount("a", "/a") with { OtherFields = new() { ["mountPropagation"] = Json("\"Bidirectional\"") } }),
            $"must not set the field(s): {S}.containers[0].volumeMounts[0].mountPropagation"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Volume_rules(string rule, Service service, string expected) =>
        Assert.True(expected == ServiceValidation.Validate(service, localProcessRuntime: false).ToString(), rule + ": " + ServiceValidation.Validate(service, localProcessRuntime: false));

    [Fact]
    public void Allowed_sources_and_mounts_are_valid_and_errors_come_all_at_once()
    {
        var valid = With(
            [
                Secret("s"),
                new Volume { Name = "c", ConfigMap = new() { Name = "cm", Items = [new() { Key = "k", Path = "k.txt" }] } },
                new Volume { Name = "p", Projected = new() { Sources = [new() { Secret = new() { Name = "s" } }, new() { ConfigMap = new() { Name = "cm" } }] } },
                new Volume { Name = "e", EmptyDir = new() { Medium = "Memory" } },
            ],
            Mount("s", "/etc/secret", readOnly: true), Mount("c", "/etc/config"), Mount("p", "/etc/all"), Mount("e", "/scratch", readOnly: false));
        Assert.True(ServiceValidation.Validate(valid, localProcessRuntime: false).IsEmpty, ServiceValidation.Validate(valid, localProcessRuntime: false).ToString());

        var broken = With([Secret("a"), Secret("a"), Secret("b")], Mount("a", "rel"), Mount("x", "/x"));
        Assert.Equal(
            $"duplicate volume name \"a\": {S}.volumes[1].name\n"
            + $"invalid value: rel: {S}.containers[0].volumeMounts[0].mountPath\n"
            + $"volume with name \"b\" not mounted: {S}.volumes[2].name\n"
            + $"volumeMount has no matching volume: {S}.containers[0].volumeMounts[1].name",
            ServiceValidation.Validate(broken, localProcessRuntime: false).ToString());
    }

    [Fact]
    public void The_local_runtime_refuses_volumes_and_says_why()
    {
        var service = With([new Volume { Name = "e", EmptyDir = new() }], Mount("e", "/scratch"));

        Assert.Equal($"{LocalRuntimeValidation.VolumesMessage}: {S}.containers[0].volumeMounts, {S}.volumes\n{LocalRuntimeValidation.VolumesAdvice}",
            ServiceValidation.Validate(service).ToString());
    }
}
