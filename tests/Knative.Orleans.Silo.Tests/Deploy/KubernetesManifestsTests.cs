using Knative.Orleans.Silo.Drivers.Kubernetes;
using YamlDotNet.RepresentationModel;
using static Knative.Orleans.Silo.Tests.Deploy.Manifests;

namespace Knative.Orleans.Silo.Tests.Deploy;

/// <summary>
/// Static checks of deploy/kubernetes (no cluster here): the files parse, are numbered in apply order, and refer to each
/// other consistently; the config keys are keys the platform knows; RBAC covers what the driver calls.
/// </summary>
public sealed class KubernetesManifestsTests
{
    /// <summary>
    /// Keys of the Redis clustered mode, implemented on another branch (issue #6) and not yet in deploy/local.
    /// TODO(#6): drop once deploy/local/appsettings.Local.json lists them.
    /// </summary>
    private static readonly string[] ClusteredModeKeys =
        ["Redis:ConnectionString", "Cluster:AdvertisedIp", "Gateway:Enabled"];

    private static readonly Dictionary<string, string> ApiVersions = new()
    {
        ["Namespace"] = "v1",
        ["ServiceAccount"] = "v1",
        ["ConfigMap"] = "v1",
        ["Service"] = "v1",
        ["Role"] = "rbac.authorization.k8s.io/v1",
        ["RoleBinding"] = "rbac.authorization.k8s.io/v1",
        ["Deployment"] = "apps/v1",
        ["StatefulSet"] = "apps/v1",
    };

    private static string NamespaceName => Str(Assert.Single(OfKind("Namespace")), "metadata", "name")!;

    private static IEnumerable<YamlMappingNode> Workloads => OfKind("Deployment").Concat(OfKind("StatefulSet"));

    [Fact]
    public void Files_are_numbered_in_apply_order_and_hold_the_expected_kinds()
    {
        var byFile = All.GroupBy(d => d.File).ToDictionary(g => g.Key, g => g.Select(d => Str(d.Doc, "kind")).ToList());
        Assert.Equal(
            ["00-namespace.yaml", "01-rbac.yaml", "02-config.yaml", "03-redis.yaml", "04-silos.yaml", "05-gateways.yaml", "06-services.yaml"],
            byFile.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Namespace"], byFile["00-namespace.yaml"]);
        Assert.Equal(["ServiceAccount", "Role", "RoleBinding"], byFile["01-rbac.yaml"]);
        Assert.Equal(["ConfigMap"], byFile["02-config.yaml"]);
        Assert.Equal(["StatefulSet"], byFile["03-redis.yaml"]);
        Assert.Equal(["Deployment"], byFile["04-silos.yaml"]);
        Assert.Equal(["Deployment"], byFile["05-gateways.yaml"]);
        Assert.All(byFile["06-services.yaml"], k => Assert.Equal("Service", k));
    }

    [Fact]
    public void Every_object_has_its_api_version_a_name_and_the_namespace()
    {
        foreach (var (file, doc) in All)
        {
            var kind = Str(doc, "kind")!;
            Assert.True(ApiVersions.TryGetValue(kind, out var apiVersion), $"{file}: unexpected kind {kind}");
            Assert.Equal(apiVersion, Str(doc, "apiVersion"));
            Assert.False(string.IsNullOrEmpty(Str(doc, "metadata", "name")), $"{file}: {kind} without a name");
            if (kind != "Namespace")
            {
                Assert.Equal(NamespaceName, Str(doc, "metadata", "namespace"));
            }
        }
    }

    [Fact]
    public void Workload_selectors_match_their_pod_labels_and_services_select_pods_with_the_target_ports()
    {
        foreach (var w in Workloads)
        {
            var selector = Map(w, "spec", "selector", "matchLabels");
            var labels = Map(w, "spec", "template", "metadata", "labels");
            Assert.NotEmpty(selector);
            Assert.All(selector, kv => Assert.Equal(kv.Value, labels.GetValueOrDefault(kv.Key)));
        }

        foreach (var service in OfKind("Service"))
        {
            var name = Str(service, "metadata", "name");
            var selector = Map(service, "spec", "selector");
            var selected = Workloads.Where(w => selector.All(kv => Map(w, "spec", "template", "metadata", "labels").GetValueOrDefault(kv.Key) == kv.Value)).ToList();
            Assert.True(selected.Count == 1, $"Service {name} selects {selected.Count} workloads");
            var ports = Containers(selected[0]).SelectMany(c => Seq(c, "ports")).ToList();
            foreach (var port in Seq(service, "spec", "ports"))
            {
                var target = Str(port, "targetPort");
                Assert.Contains(ports, p => Str(p, "name") == target || Str(p, "containerPort") == target);
            }
        }

        var redis = Assert.Single(OfKind("StatefulSet"));
        var headless = OfKind("Service").Single(s => Str(s, "metadata", "name") == Str(redis, "spec", "serviceName"));
        Assert.Equal("None", Str(headless, "spec", "clusterIP"));
    }

    [Fact]
    public void References_resolve_config_maps_service_accounts_roles_and_the_hand_made_admin_secret()
    {
        var configMaps = OfKind("ConfigMap").Select(c => Str(c, "metadata", "name")).ToHashSet();
        var accounts = OfKind("ServiceAccount").Select(c => Str(c, "metadata", "name")).ToHashSet();
        foreach (var w in Workloads)
        {
            foreach (var c in Containers(w))
            {
                Assert.All(Seq(c, "envFrom"), e => Assert.Contains(Str(e, "configMapRef", "name"), configMaps));
                foreach (var secret in Seq(c, "env").Select(e => Str(e, "valueFrom", "secretKeyRef", "name")).OfType<string>())
                {
                    Assert.Equal("knative-orleans-admin", secret); // created by hand, as deploy/README.md says
                }
            }

            if (Str(w, "spec", "template", "spec", "serviceAccountName") is { } account)
            {
                Assert.Contains(account, accounts);
            }
        }

        var binding = Assert.Single(OfKind("RoleBinding"));
        Assert.Equal(Str(Assert.Single(OfKind("Role")), "metadata", "name"), Str(binding, "roleRef", "name"));
        Assert.All(Seq(binding, "subjects"), s => Assert.Contains(Str(s, "name"), accounts));
        Assert.Contains("knative-orleans-admin", File.ReadAllText(Path.Combine(RepoRoot, "deploy", "README.md")));
    }

    [Fact]
    public void Every_config_key_is_one_the_platform_knows()
    {
        var known = LocalSettingsKeys();
        known.UnionWith(ClusteredModeKeys);
        var data = Map(Assert.Single(OfKind("ConfigMap")), "data");
        Assert.NotEmpty(data);
        foreach (var key in data.Keys.Concat(SiloEnv().Keys.Where(k => k.Contains("__", StringComparison.Ordinal))))
        {
            Assert.True(known.Contains(key.Replace("__", ":", StringComparison.Ordinal)), $"{key} is not a key of deploy/local/appsettings.Local.json");
        }

        // The silos run revisions on Kubernetes in this namespace, as the Kubernetes driver reads it.
        Assert.Equal("kubernetes", data["Runtime__Kind"]);
        Assert.Equal(NamespaceName, data["Kubernetes__Namespace"]);
        Assert.Contains(data["Kubernetes__Connection"], KubernetesDriverOptionsValidator.Connections);
    }

    [Fact]
    public void The_role_grants_what_the_driver_and_orleans_kubernetes_hosting_call()
    {
        var rules = Seq(Assert.Single(OfKind("Role")), "rules")
            .SelectMany(r => Seq(r, "resources").Select(res => (Group: Seq(r, "apiGroups").Select(g => ((YamlScalarNode)g).Value).Single(),
                Resource: ((YamlScalarNode)res).Value, Verbs: Seq(r, "verbs").Select(v => ((YamlScalarNode)v).Value).ToHashSet())))
            .ToList();
        var needed = new (string Group, string Resource, string[] Verbs)[]
        {
            ("apps", "deployments", ["get", "list", "create", "update", "delete"]), // KubernetesDriver
            ("", "pods", ["get", "list", "watch", "patch"]), // pod watch + deletion cost; Orleans hosting labels its pod
        };
        foreach (var (group, resource, verbs) in needed)
        {
            var rule = rules.Single(r => r.Group == group && r.Resource == resource);
            Assert.All(verbs, v => Assert.Contains(v, rule.Verbs));
        }
    }

    [Fact]
    public void Silos_and_gateways_have_probes_graceful_termination_and_what_kubernetes_hosting_needs()
    {
        var data = Map(Assert.Single(OfKind("ConfigMap")), "data");
        var shutdown = int.Parse(data["Shutdown__TimeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var w in OfKind("Deployment"))
        {
            var container = Assert.Single(Containers(w));
            Assert.Equal("/readyz", Str(container, "readinessProbe", "httpGet", "path"));
            Assert.Equal("/healthz", Str(container, "livenessProbe", "httpGet", "path"));
            var grace = int.Parse(Str(w, "spec", "template", "spec", "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(grace > shutdown, $"terminationGracePeriodSeconds {grace} must exceed Shutdown__TimeoutSeconds {shutdown}");
            Assert.Equal("0", Str(w, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
        }

        var env = SiloEnv();
        Assert.Equal("metadata.name", env["POD_NAME"]);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]);
        Assert.Equal("false", env["Gateway__Enabled"]);
        var labels = Map(OfKind("Deployment").Single(d => Str(d, "metadata", "name") == "knative-orleans-silo"), "spec", "template", "metadata", "labels");
        Assert.Equal(data["Cluster__ServiceId"], labels["orleans/serviceId"]);
        Assert.Equal(data["Cluster__ClusterId"], labels["orleans/clusterId"]);
        Assert.Equal("true", data["Cluster__Kubernetes"]);
    }

    [Fact]
    public void Redis_appends_every_write_to_its_aof_with_fsync_always_on_a_persistent_volume()
    {
        var redis = Assert.Single(OfKind("StatefulSet"));
        var args = Seq(Assert.Single(Containers(redis)), "args").Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal("yes", args[args.IndexOf("--appendonly") + 1]);
        Assert.Equal("always", args[args.IndexOf("--appendfsync") + 1]);
        var claim = Assert.Single(Seq(redis, "spec", "volumeClaimTemplates"));
        var mount = Assert.Single(Seq(Assert.Single(Containers(redis)), "volumeMounts"));
        Assert.Equal(Str(claim, "metadata", "name"), Str(mount, "name"));
        Assert.Equal(args[args.IndexOf("--dir") + 1], Str(mount, "mountPath"));
    }

    [Theory]
    [InlineData("Dockerfile.silo", "src/Silo/Knative.Orleans.Silo.csproj", "Knative.Orleans.Silo.dll")]
    [InlineData("Dockerfile.gateway", "src/Gateway/Knative.Orleans.Gateway.csproj", "Knative.Orleans.Gateway.dll")]
    public void Dockerfiles_build_with_the_sdk_and_run_on_aspnet_10(string file, string project, string dll)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "deploy", "docker", file));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project}", text, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{dll}\"]", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepoRoot, project)), project);
        // Every COPY source exists in the repository (the build context is its root).
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(parts[1..^1], source => Assert.True(Path.Exists(Path.Combine(RepoRoot, source)), $"{file}: COPY {source} does not exist"));
        }
    }

    private static IEnumerable<YamlNode> Containers(YamlNode workload) => Seq(workload, "spec", "template", "spec", "containers");

    private static Dictionary<string, string> SiloEnv() =>
        Seq(Assert.Single(Containers(OfKind("Deployment").Single(d => Str(d, "metadata", "name") == "knative-orleans-silo"))), "env")
            .ToDictionary(e => Str(e, "name")!, e => Str(e, "value") ?? Str(e, "valueFrom", "fieldRef", "fieldPath") ?? "(secret)");
}
