/* Meta Marketing API (Graph API): /vNN.N/act_{id}, campaigns, ads, insights,
 * and POST /vNN.N/{campaign_id} to change a daily budget. */
#ifndef OKDF_SIM_META_H
#define OKDF_SIM_META_H

#include "context.h"

extern const struct sim_service sim_meta_service;

/* The one purchase action type the truth file and ROAS count. */
#define SIM_META_PURCHASE_TYPE "offsite_conversion.fb_pixel_purchase"

#endif
