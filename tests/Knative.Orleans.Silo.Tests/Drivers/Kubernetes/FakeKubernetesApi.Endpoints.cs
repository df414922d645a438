using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

internal sealed partial class FakeKubernetesApi
{
    private void MapDeployments(WebApplication app)
    {
        const string Collection = "/apis/apps/v1/namespaces/{ns}/deployments";
        app.MapGet(Collection, (HttpContext c, string ns) =>
        {
            lock (_gate)
            {
                var selector = c.Request.Query["labelSelector"].ToString();
                var items = _deployments.Values.Where(d => d.Metadata.NamespaceProperty == ns && Matches(d.Metadata.Labels, selector)).Select(Clone).ToList();
                return WriteJsonAsync(c, new V1DeploymentList
                {
                    ApiVersion = "apps/v1",
                    Kind = "DeploymentList",
                    Items = items,
                    Metadata = new V1ListMeta { ResourceVersion = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                });
            }
        });
        app.MapPost(Collection, async (HttpContext c, string ns) =>
        {
            var body = await ReadAsync<V1Deployment>(c);
            await Create(c, ns, body);
        });
        app.MapGet(Collection + "/{name}", (HttpContext c, string ns, string name) =>
        {
            lock (_gate)
            {
                return _deployments.TryGetValue(name, out var d)
                    ? WriteJsonAsync(c, d)
                    : WriteStatusAsync(c, 404, "NotFound", $"deployments.apps \"{name}\" not found");
            }
        });
        app.MapPut(Collection + "/{name}", async (HttpContext c, string ns, string name) =>
        {
            var body = await ReadAsync<V1Deployment>(c);
            await Replace(c, name, body);
        });
        app.MapDelete(Collection + "/{name}", (HttpContext c, string ns, string name) => Delete(c, name));
    }

    private Task Create(HttpContext c, string ns, V1Deployment body)
    {
        lock (_gate)
        {
            if (_deployments.ContainsKey(body.Metadata.Name))
            {
                return WriteStatusAsync(c, 409, "AlreadyExists", $"deployments.apps \"{body.Metadata.Name}\" already exists");
            }

            body.Metadata.NamespaceProperty = ns;
            body.Metadata.Uid = Guid.NewGuid().ToString();
            body.Metadata.ResourceVersion = NextRv();
            body.Metadata.Generation = 1;
            _deployments[body.Metadata.Name] = body;
            Reconcile(body);
            Changed();
            return WriteJsonAsync(c, body, 201);
        }
    }

    private Task Replace(HttpContext c, string name, V1Deployment body)
    {
        lock (_gate)
        {
            if (!_deployments.TryGetValue(name, out var existing))
            {
                return WriteStatusAsync(c, 404, "NotFound", $"deployments.apps \"{name}\" not found");
            }

            if (body.Metadata.ResourceVersion != existing.Metadata.ResourceVersion)
            {
                return WriteStatusAsync(c, 409, "Conflict",
                    $"Operation cannot be fulfilled on deployments.apps \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
            }

            body.Metadata.ResourceVersion = NextRv();
            body.Metadata.Generation = (existing.Metadata.Generation ?? 1) + 1;
            _deployments[name] = body;
            Reconcile(body);
            Changed();
            return WriteJsonAsync(c, body);
        }
    }

    private Task Delete(HttpContext c, string name)
    {
        lock (_gate)
        {
            if (!_deployments.Remove(name))
            {
                return WriteStatusAsync(c, 404, "NotFound", $"deployments.apps \"{name}\" not found");
            }

            foreach (var pod in _pods.Values.Where(p => DeploymentOf(p) == name).ToList())
            {
                _pods.Remove(pod.Metadata.Name);
                Emit("DELETED", pod);
            }

            Changed();
            var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success" };
            c.Response.ContentType = "application/json";
            return c.Response.WriteAsync(status.ToJsonString(), Encoding.UTF8);
        }
    }

    private void MapPods(WebApplication app)
    {
        const string Collection = "/api/v1/namespaces/{ns}/pods";
        app.MapGet(Collection, async (HttpContext c, string ns) =>
        {
            var selector = c.Request.Query["labelSelector"].ToString();
            if (c.Request.Query["watch"] != "true")
            {
                V1PodList list;
                lock (_gate)
                {
                    list = new V1PodList
                    {
                        ApiVersion = "v1",
                        Kind = "PodList",
                        Items = [.. _pods.Values.Where(p => Matches(p.Metadata.Labels, selector)).Select(Clone)],
                        Metadata = new V1ListMeta { ResourceVersion = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    };
                }

                await WriteJsonAsync(c, list);
                return;
            }

            await WatchAsync(c, selector);
        });
        app.MapMethods(Collection + "/{name}", ["PATCH"], async (HttpContext c, string ns, string name) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            var patch = JsonNode.Parse(await reader.ReadToEndAsync())!;
            Task result;
            lock (_gate)
            {
                if (!_pods.TryGetValue(name, out var pod))
                {
                    result = WriteStatusAsync(c, 404, "NotFound", $"pods \"{name}\" not found");
                }
                else
                {
                    pod.Metadata.Annotations ??= new Dictionary<string, string>();
                    foreach (var (key, value) in patch["metadata"]?["annotations"]?.AsObject() ?? [])
                    {
                        pod.Metadata.Annotations[key] = value!.GetValue<string>();
                    }

                    Emit("MODIFIED", pod);
                    result = WriteJsonAsync(c, pod);
                }
            }

            await result;
        });
    }

    /// <summary>Chunked watch: every event after the requested resourceVersion, then live ones, one JSON object per line.</summary>
    private async Task WatchAsync(HttpContext c, string selector)
    {
        long from = long.TryParse(c.Request.Query["resourceVersion"], out var rv) ? rv : _rv;
        CancellationToken closed;
        lock (_gate)
        {
            closed = _watchers.Token;
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(closed, c.RequestAborted);
        c.Response.ContentType = "application/json";
        await c.Response.StartAsync();
        try
        {
            while (!both.IsCancellationRequested)
            {
                List<string> lines;
                Task changed;
                lock (_gate)
                {
                    lines = [.. _events.Where(e => e.Rv > from).Select(e => $"{{\"type\":\"{e.Type}\",\"object\":{e.Json}}}\n")];
                    from = _events.Count > 0 ? Math.Max(from, _events[^1].Rv) : from;
                    changed = _changed.Task;
                }

                foreach (var line in lines)
                {
                    await c.Response.WriteAsync(line, Encoding.UTF8, both.Token);
                }

                await c.Response.Body.FlushAsync(both.Token);
                await changed.WaitAsync(both.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // stream closed by the test or by the client
        }
    }

    /// <summary>The ReplicaSet's job: live pods follow spec.replicas.</summary>
    private void Reconcile(V1Deployment deployment)
    {
        var name = deployment.Metadata.Name;
        var live = _pods.Values.Where(p => DeploymentOf(p) == name).ToList();
        var want = deployment.Spec.Replicas ?? 1;
        for (var i = live.Count; i < want; i++)
        {
            var labels = new Dictionary<string, string>(deployment.Spec.Template.Metadata.Labels) { ["fake/deployment"] = name };
            var pod = new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{name}-7d9c{++_podSeq:D2}",
                    NamespaceProperty = deployment.Metadata.NamespaceProperty,
                    Labels = labels,
                    CreationTimestamp = DateTime.UtcNow.AddTicks(_podSeq),
                    Uid = Guid.NewGuid().ToString(),
                },
                Spec = Clone(deployment.Spec.Template.Spec),
                Status = new V1PodStatus { Phase = "Pending" },
            };
            _pods[pod.Metadata.Name] = pod;
            Emit("ADDED", pod);
        }

        foreach (var victim in live.OrderBy(p => IsReady(p)).ThenBy(Cost).ThenByDescending(p => p.Metadata.CreationTimestamp).Take(live.Count - want))
        {
            _pods.Remove(victim.Metadata.Name);
            Emit("DELETED", victim);
        }
    }

    private void SetReady(V1Pod pod, string ip)
    {
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            ContainerStatuses = [new V1ContainerStatus { Name = "user-container", Image = "img", ImageID = "", Ready = true, RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning() } }],
        };
        Emit("MODIFIED", pod);
    }

    private void Emit(string type, V1Pod pod)
    {
        pod.Metadata.ResourceVersion = NextRv();
        _events.Add((_rv, type, KubernetesJson.Serialize(pod)));
        Changed();
    }

    private static string? DeploymentOf(V1Pod p) => p.Metadata.Labels.TryGetValue("fake/deployment", out var d) ? d : null;

    private static bool IsReady(V1Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static int Cost(V1Pod p) =>
        p.Metadata.Annotations?.TryGetValue("controller.kubernetes.io/pod-deletion-cost", out var c) == true ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static bool Matches(IDictionary<string, string>? labels, string selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var parts = term.Split('=', 2);
            return labels is not null && labels.TryGetValue(parts[0], out var v) && v == parts[1];
        });

    private static async Task<T> ReadAsync<T>(HttpContext c)
    {
        using var reader = new StreamReader(c.Request.Body);
        return KubernetesJson.Deserialize<T>(await reader.ReadToEndAsync());
    }
}
