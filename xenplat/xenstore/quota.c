/*
 * Quotas (tools/xenstored/domain.c hard_quotas): what an unprivileged
 * domain may use, with xenstored's defaults; CONTROL quota shows and
 * changes them.  Privileged connections (dom0) have none.  xenstored's
 * memory quota and write rate limit are not kept: both are measured in
 * host memory or host time, neither of which xenemu lets a guest see.
 */
#include "xenplat/xenstore/store.h"

const struct xs_quota_def xs_quota_defs[XS_Q_COUNT] = {
    [XS_Q_NODES] = { "nodes", "Nodes per domain", 1000 },
    [XS_Q_WATCHES] = { "watches", "Watches per domain", 128 },
    [XS_Q_OUTSTANDING] = { "outstanding", "Outstanding requests per domain",
                           20 },
    [XS_Q_TRANSACTIONS] = { "transactions", "Active transactions per domain",
                            10 },
    [XS_Q_TRANSACTION_NODES] = { "transaction-nodes",
                                 "Max. number of accessed nodes per "
                                 "transaction", 1024 },
    [XS_Q_NODE_PERMS] = { "node-permissions",
                          "Max. number of permissions per node", 5 },
    [XS_Q_PATH_MAX] = { "path-max", "Max. length of a node path",
                        XS_REL_PATH_MAX },
    [XS_Q_NODE_SIZE] = { "node-size", "Max. size of a node", 2048 },
};

bool xs_quota_over(struct xs_conn *c, enum xs_quota q, unsigned value)
{
    return !xs_conn_privileged(c) && value > c->s->quota[q];
}
